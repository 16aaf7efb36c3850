-- expect: none
CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
CREATE TABLE events (id bigserial PRIMARY KEY);
-- smallint lookup, composite key, lookup table by name, one-to-one extension.
CREATE TABLE priorities (id smallint PRIMARY KEY, name text NOT NULL);
CREATE TABLE order_lines (order_id int, line_no int, PRIMARY KEY (order_id, line_no));
CREATE TABLE release_type (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE accounts (id integer PRIMARY KEY);
ALTER TABLE accounts ALTER COLUMN id TYPE bigint;
CREATE TABLE account_meta (id integer PRIMARY KEY REFERENCES accounts (id), rating smallint);
-- Numbered by the application, not by a sequence.
CREATE TABLE legacy_accounts (id integer PRIMARY KEY, name text NOT NULL);
