-- expect: drop-index-non-concurrently x1
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY, status text);
CREATE INDEX orders_status_idx ON orders (status);
-- file: 002_drop.sql
DROP INDEX orders_status_idx;
