-- expect: alter-column-type-rewrite x1
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY, placed_at timestamp);
-- file: 002_type.sql
ALTER TABLE orders ALTER COLUMN placed_at TYPE timestamptz;
