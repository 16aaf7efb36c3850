-- expect: add-column-not-null-without-default x1
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY);
-- file: 002_add.sql
ALTER TABLE orders ADD COLUMN currency text NOT NULL;
