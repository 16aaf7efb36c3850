-- expect: drop-column x2
-- file: 001_create.sql
CREATE TABLE users (id bigint PRIMARY KEY, legacy_flags int, legacy_note text);
-- file: 002_drop.sql
ALTER TABLE users DROP COLUMN legacy_flags, DROP COLUMN IF EXISTS legacy_note;
