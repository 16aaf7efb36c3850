-- expect: truncate-table x1
-- file: 001_create.sql
CREATE TABLE sessions (id bigint PRIMARY KEY);
-- file: 002_truncate.sql
TRUNCATE sessions;
