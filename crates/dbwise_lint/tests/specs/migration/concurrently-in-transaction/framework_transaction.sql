-- expect: concurrently-in-transaction x2
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY, created_at timestamptz);
CREATE INDEX orders_old_idx ON orders (id);
-- file: 002_index.sql
-- transaction: wrapped
CREATE INDEX CONCURRENTLY orders_created_at_idx ON orders (created_at);
DROP INDEX CONCURRENTLY orders_old_idx;
