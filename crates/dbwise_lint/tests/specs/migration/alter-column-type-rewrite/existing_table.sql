-- expect: alter-column-type-rewrite x1
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY, total integer);
-- file: 002_type.sql
ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2);
