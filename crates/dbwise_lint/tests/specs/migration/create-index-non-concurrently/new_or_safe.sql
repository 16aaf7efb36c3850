-- expect: none
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY, created_at timestamptz);
-- The table is created in this same migration: nobody can be using it yet.
CREATE INDEX orders_created_at_idx ON orders (created_at);
CREATE MATERIALIZED VIEW order_days AS SELECT date_trunc('day', created_at) AS day, count(*) FROM orders GROUP BY 1;
-- file: 002_more.sql
CREATE INDEX CONCURRENTLY orders_id_created_idx ON orders (id, created_at);
CREATE TEMPORARY TABLE scratch (id int);
CREATE INDEX scratch_id_idx ON scratch (id);
CREATE INDEX order_days_day_idx ON order_days (day);
