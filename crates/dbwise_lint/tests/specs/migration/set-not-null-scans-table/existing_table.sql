-- expect: set-not-null-scans-table x1
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);
-- file: 002_not_null.sql
ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;
