-- expect: add-foreign-key-validating x1
-- file: 001_create.sql
CREATE TABLE customers (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, total integer, email text);
-- file: 002_change.sql
-- The help plans the whole statement: the new column first, the type change as
-- expand/contract, and the foreign key and NOT NULL in their own sequences.
ALTER TABLE orders
    ADD COLUMN seller_id bigint,
    ALTER COLUMN total TYPE bigint,
    ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id),
    ALTER COLUMN email SET NOT NULL;
