-- expect: none
-- serial throughout and no identity column: a choice that works, nothing to report.
CREATE TABLE a (id bigserial PRIMARY KEY);
CREATE TABLE b (id bigserial PRIMARY KEY);
CREATE TABLE c (id serial PRIMARY KEY);
CREATE TABLE d (id serial PRIMARY KEY);
