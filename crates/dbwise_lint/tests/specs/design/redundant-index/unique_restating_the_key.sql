-- expect: none
-- In one CREATE TABLE, PostgreSQL builds no second index for a UNIQUE on the key's columns.
CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, UNIQUE (id));
CREATE TABLE sessions (id bigint UNIQUE PRIMARY KEY, token text NOT NULL);
