-- expect: refresh-materialized-view-non-concurrently x1
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY, created_at timestamptz);
CREATE MATERIALIZED VIEW daily_orders AS SELECT date_trunc('day', created_at) AS day, count(*) FROM orders GROUP BY 1;
-- file: 002_refresh.sql
REFRESH MATERIALIZED VIEW daily_orders;
