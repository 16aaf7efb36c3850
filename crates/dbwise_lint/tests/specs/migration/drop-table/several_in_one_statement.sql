-- expect: drop-table x1
-- file: 001_create.sql
CREATE TABLE legacy_sessions (id bigint PRIMARY KEY);
CREATE TABLE legacy_tokens (id bigint PRIMARY KEY);
-- file: 002_drop.sql
CREATE TABLE scratch (id int);
DROP TABLE legacy_sessions, legacy_tokens, scratch;
