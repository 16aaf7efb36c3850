-- expect: create-index-non-concurrently x1
-- The three builds of 002 are one finding, at the first.
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY, created_at timestamptz, status text);
-- file: 002_index.sql
-- transaction: none
CREATE INDEX orders_created_at_idx ON orders (created_at);
CREATE UNIQUE INDEX IF NOT EXISTS orders_status_idx ON public.orders USING btree (status, id);
-- A table the history never created already exists in the database.
CREATE INDEX payments_order_idx ON payments (order_id);
