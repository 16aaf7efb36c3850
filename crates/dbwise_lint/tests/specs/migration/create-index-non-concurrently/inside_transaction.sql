-- expect: create-index-non-concurrently x1
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY, created_at timestamptz);
-- file: 002_index.sql
-- transaction: wrapped
CREATE INDEX orders_created_at_idx ON orders (created_at);
