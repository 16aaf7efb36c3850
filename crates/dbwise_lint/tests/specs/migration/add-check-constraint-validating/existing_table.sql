-- expect: add-check-constraint-validating x1
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY, total integer);
-- file: 002_check.sql
ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);
