-- expect: concurrently-in-transaction x1
CREATE TABLE orders (id bigint PRIMARY KEY, created_at timestamptz);
BEGIN;
-- Even on a new table, PostgreSQL refuses CONCURRENTLY in a transaction block.
CREATE INDEX CONCURRENTLY orders_created_at_idx ON orders (created_at);
COMMIT;
