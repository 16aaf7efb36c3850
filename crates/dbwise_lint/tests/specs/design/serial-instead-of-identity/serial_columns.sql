-- expect: serial-instead-of-identity x3
CREATE TABLE tickets (id serial PRIMARY KEY, title text NOT NULL);
CREATE TABLE events (id bigserial PRIMARY KEY);
CREATE SCHEMA audit;
CREATE TABLE audit.changes (id smallserial PRIMARY KEY);
