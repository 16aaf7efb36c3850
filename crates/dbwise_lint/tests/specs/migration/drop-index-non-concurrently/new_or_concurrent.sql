-- expect: none
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY, status text);
CREATE INDEX orders_status_idx ON orders (status);
CREATE INDEX orders_id_status_idx ON orders (id, status);
-- file: 002_drop.sql
DROP INDEX CONCURRENTLY orders_status_idx;
CREATE TABLE scratch (id int);
CREATE INDEX scratch_id_idx ON scratch (id);
-- The index was created in this migration's own new table.
DROP INDEX scratch_id_idx;
-- file: 003_partitioned.sql
CREATE TABLE events (id bigint, at timestamptz) PARTITION BY RANGE (at);
CREATE INDEX events_at_idx ON events (at);
-- file: 004_drop_partitioned.sql
-- A partitioned table's index cannot be dropped concurrently: nothing better to suggest.
DROP INDEX events_at_idx;
