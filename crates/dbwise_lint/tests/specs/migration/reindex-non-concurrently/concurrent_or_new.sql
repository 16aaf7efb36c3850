-- expect: none
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY, created_at timestamptz);
CREATE INDEX orders_created_at_idx ON orders (created_at);
REINDEX INDEX orders_created_at_idx;
-- file: 002_reindex.sql
REINDEX INDEX CONCURRENTLY orders_created_at_idx;
