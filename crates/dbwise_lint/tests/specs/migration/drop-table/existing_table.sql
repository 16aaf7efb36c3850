-- expect: drop-table x1
-- file: 001_create.sql
CREATE TABLE legacy_sessions (id bigint PRIMARY KEY);
-- file: 002_drop.sql
DROP TABLE legacy_sessions;
