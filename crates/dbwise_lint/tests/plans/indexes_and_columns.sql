-- file: 001_schema.sql
CREATE TABLE orders (id bigint PRIMARY KEY, status text, created_at timestamptz);
CREATE INDEX orders_status_idx ON orders (status);
CREATE MATERIALIZED VIEW order_counts AS SELECT status, count(*) AS n FROM orders GROUP BY status;
CREATE UNIQUE INDEX order_counts_status_idx ON order_counts (status);
INSERT INTO orders VALUES (1, 'open', now()), (2, 'closed', now());
-- file: 002_change.sql
SET lock_timeout = '2s';
CREATE INDEX orders_created_at_idx ON orders (created_at DESC) WHERE status <> 'closed';
DROP INDEX orders_status_idx;
CREATE TABLE order_notes (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id), body text);
CREATE INDEX order_notes_order_idx ON order_notes (order_id);
ALTER TABLE orders ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();
ALTER TABLE orders ADD COLUMN currency text NOT NULL DEFAULT 'EUR';
REINDEX INDEX order_counts_status_idx;
REFRESH MATERIALIZED VIEW order_counts;
