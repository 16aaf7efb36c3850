-- expect: enum-value-in-transaction x1
-- file: 001_create.sql
CREATE TYPE order_status AS ENUM ('open', 'closed');
CREATE TABLE orders (id bigint PRIMARY KEY, status order_status);
-- file: 002_value.sql
-- transaction: wrapped
ALTER TYPE order_status ADD VALUE 'archived';
UPDATE orders SET status = 'archived' WHERE status = 'closed';
