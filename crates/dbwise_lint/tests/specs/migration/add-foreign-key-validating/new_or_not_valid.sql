-- expect: none
-- file: 001_create.sql
CREATE TABLE customers (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);
-- A table created in this migration has no rows to check.
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);
-- file: 002_not_valid.sql
-- transaction: wrapped
ALTER TABLE orders ADD CONSTRAINT orders_customer2_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
-- file: 003_validate.sql
-- transaction: wrapped
ALTER TABLE orders VALIDATE CONSTRAINT orders_customer2_fk;
-- file: 004_required_customer.sql
-- transaction: wrapped
-- ADD COLUMN ... NOT NULL without a default only succeeds on an empty table: nothing to check.
ALTER TABLE orders ADD COLUMN billing_customer_id bigint NOT NULL;
ALTER TABLE orders ADD CONSTRAINT orders_billing_customer_fk FOREIGN KEY (billing_customer_id) REFERENCES customers (id);
