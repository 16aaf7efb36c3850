-- expect: rename-column x2
-- file: 001_create.sql
CREATE TABLE users (id bigint PRIMARY KEY, name text);
CREATE TABLE caches (id bigint PRIMARY KEY, version_md5 text);
CREATE TABLE outputs (id bigint PRIMARY KEY, version_md5 text);
-- file: 002_rename.sql
ALTER TABLE users RENAME COLUMN name TO full_name;
-- file: 003_renames.sql
-- The renames of one file ship with one release of the code: one finding, at the first.
ALTER TABLE caches RENAME COLUMN version_md5 TO version_digest;
ALTER TABLE outputs RENAME COLUMN version_md5 TO version_digest;
