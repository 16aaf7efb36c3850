-- expect: none
-- file: 001_create.sql
CREATE TABLE users (id bigint PRIMARY KEY, name text);
ALTER TABLE users RENAME COLUMN name TO full_name;
-- file: 002_other.sql
ALTER TABLE users RENAME CONSTRAINT users_pkey TO users_pk;
