-- expect: none
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY, total integer);
ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);
-- file: 002_check.sql
ALTER TABLE orders ADD CONSTRAINT orders_total_small CHECK (total < 1000000) NOT VALID;
-- file: 003_validate.sql
ALTER TABLE orders VALIDATE CONSTRAINT orders_total_small;
