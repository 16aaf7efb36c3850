-- expect: none
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);
CREATE INDEX orders_customer_idx ON orders (customer_id);
-- file: 002_again.sql
-- The index exists: IF NOT EXISTS builds nothing.
CREATE INDEX IF NOT EXISTS orders_customer_idx ON orders (customer_id);
