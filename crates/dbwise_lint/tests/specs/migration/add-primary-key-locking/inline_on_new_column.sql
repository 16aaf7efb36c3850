-- expect: add-primary-key-locking x1
-- rows: accounts=100000
-- file: 001_create.sql
CREATE TABLE accounts (email text NOT NULL);
-- file: 002_key.sql
-- An inline PRIMARY KEY builds its index inside the ALTER TABLE.
ALTER TABLE accounts ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;
