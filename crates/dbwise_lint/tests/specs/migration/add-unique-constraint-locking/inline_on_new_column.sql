-- expect: add-unique-constraint-locking x1
-- rows: accounts=100000
-- file: 001_create.sql
CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL);
-- file: 002_columns.sql
-- An inline UNIQUE builds its index inside the ALTER TABLE.
ALTER TABLE accounts ADD COLUMN handle text UNIQUE;
