-- expect: none
-- A table whose name says it grows (orders) but whose size nothing gives: the backfill is
-- counted, not listed, since only the size tells how long it holds the lock.
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY);
-- file: 002_backfill.sql
-- transaction: wrapped
ALTER TABLE orders ADD COLUMN currency text;
UPDATE orders SET currency = 'EUR';
