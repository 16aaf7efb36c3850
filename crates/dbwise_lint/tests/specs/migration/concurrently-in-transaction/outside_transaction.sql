-- expect: none
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY, created_at timestamptz);
-- file: 002_index.sql
-- transaction: none
CREATE INDEX CONCURRENTLY orders_created_at_idx ON orders (created_at);
REINDEX INDEX CONCURRENTLY orders_created_at_idx;
-- file: 003_wrapped.sql
-- transaction: wrapped
CREATE INDEX orders_id_idx ON orders (id);
