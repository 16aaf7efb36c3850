-- expect: backfill-in-ddl-transaction x1
-- rows: orders=2000000
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY);
-- file: 002_backfill.sql
-- transaction: wrapped
ALTER TABLE orders ADD COLUMN currency text;
UPDATE orders SET currency = 'EUR';
