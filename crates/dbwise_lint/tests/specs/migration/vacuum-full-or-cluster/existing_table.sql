-- expect: vacuum-full-or-cluster x2
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY, created_at timestamptz);
CREATE INDEX orders_created_at_idx ON orders (created_at);
-- file: 002_maintenance.sql
VACUUM FULL orders;
CLUSTER orders USING orders_created_at_idx;
