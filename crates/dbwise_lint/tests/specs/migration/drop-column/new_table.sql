-- expect: none
-- file: 001_create.sql
CREATE TABLE users (id bigint PRIMARY KEY, legacy_flags int);
ALTER TABLE users DROP COLUMN legacy_flags;
