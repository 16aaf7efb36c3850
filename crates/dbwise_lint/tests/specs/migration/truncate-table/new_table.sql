-- expect: none
-- file: 001_create.sql
CREATE TABLE sessions (id bigint PRIMARY KEY);
TRUNCATE sessions;
