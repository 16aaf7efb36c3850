-- expect: none
-- A table that is naive throughout, in a schema that uses timestamptz elsewhere: nothing
-- in it compares an instant with a wall-clock reading.
CREATE TABLE accounts (id bigint PRIMARY KEY, created_at timestamptz NOT NULL, closed_at timestamptz);
CREATE TABLE audit_trail (id bigint PRIMARY KEY, noted_at timestamp NOT NULL);
