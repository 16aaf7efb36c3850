-- expect: add-foreign-key-validating x3
-- file: 001_create.sql
CREATE TABLE customers (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY, legacy_customer bigint);
-- file: 002_backfill_then_reference.sql
-- transaction: wrapped
-- The UPDATE fills the new column, so the validation has values to check.
ALTER TABLE orders ADD COLUMN customer_id bigint;
UPDATE orders SET customer_id = legacy_customer;
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);
-- file: 003_default_then_reference.sql
-- transaction: wrapped
-- A default fills every existing row.
ALTER TABLE orders ADD COLUMN seller_id bigint DEFAULT 1;
ALTER TABLE orders ADD CONSTRAINT orders_seller_fk FOREIGN KEY (seller_id) REFERENCES customers (id);
-- file: 004_code_then_reference.sql
-- transaction: wrapped
-- Code dbwise does not follow may have filled the column.
ALTER TABLE orders ADD COLUMN buyer_id bigint;
DO $$ BEGIN UPDATE orders SET buyer_id = legacy_customer; END $$;
ALTER TABLE orders ADD CONSTRAINT orders_buyer_fk FOREIGN KEY (buyer_id) REFERENCES customers (id);
