-- expect: rename-column x1
-- file: 001_create.sql
CREATE TABLE users (id bigint PRIMARY KEY, name text);
-- file: 002_rename.sql
ALTER TABLE users RENAME COLUMN name TO full_name;
