-- expect: rename-table x1
-- file: 001_create.sql
CREATE TABLE customer (id bigint PRIMARY KEY);
-- file: 002_rename.sql
ALTER TABLE customer RENAME TO customers;
