-- expect: none
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY, created_at timestamptz);
CREATE MATERIALIZED VIEW daily_orders AS SELECT date_trunc('day', created_at) AS day, count(*) FROM orders GROUP BY 1;
REFRESH MATERIALIZED VIEW daily_orders;
-- file: 002_refresh.sql
REFRESH MATERIALIZED VIEW CONCURRENTLY daily_orders;
