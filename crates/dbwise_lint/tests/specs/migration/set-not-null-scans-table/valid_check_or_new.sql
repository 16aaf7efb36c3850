-- expect: none
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, note text);
ALTER TABLE orders ALTER COLUMN note SET NOT NULL;
-- file: 002_check.sql
ALTER TABLE orders ADD CONSTRAINT orders_customer_id_not_null CHECK (customer_id IS NOT NULL) NOT VALID;
-- file: 003_validate.sql
ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_not_null;
-- file: 004_set.sql
-- The valid CHECK proves there is no NULL: no scan on PostgreSQL 12 and later.
ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;
-- file: 005_emptied.sql
TRUNCATE orders;
ALTER TABLE orders ALTER COLUMN note SET NOT NULL;
-- file: 006_with_rewrite.sql
-- The type change rewrites the table; the NOT NULL check rides on the rewrite.
ALTER TABLE orders ALTER COLUMN customer_id TYPE numeric, ALTER COLUMN customer_id SET NOT NULL;
