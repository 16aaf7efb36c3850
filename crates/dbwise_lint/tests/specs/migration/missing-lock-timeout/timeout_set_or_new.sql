-- expect: none
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY, note text);
ALTER TABLE orders ADD COLUMN currency text;
-- file: 002_alter.sql
SET lock_timeout = '5s';
ALTER TABLE orders ADD COLUMN total integer;
-- file: 003_weak.sql
-- SHARE UPDATE EXCLUSIVE does not block reads or writes.
CREATE INDEX CONCURRENTLY orders_total_idx ON orders (total);
