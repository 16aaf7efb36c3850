-- expect: missing-lock-timeout x1
-- IF EXISTS of a table the history created still locks it.
-- file: 001_create.sql
CREATE TABLE subscribers (id bigint PRIMARY KEY, email text NOT NULL);
-- file: 002_drop.sql
DROP TABLE IF EXISTS subscribers;
