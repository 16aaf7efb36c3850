-- expect: serial-instead-of-identity x1
-- serial throughout and no identity column: one note for the convention.
CREATE TABLE a (id bigserial PRIMARY KEY);
CREATE TABLE b (id bigserial PRIMARY KEY);
CREATE TABLE c (id serial PRIMARY KEY);
CREATE TABLE d (id serial PRIMARY KEY);
