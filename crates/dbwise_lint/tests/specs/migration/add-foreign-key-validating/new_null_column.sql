-- expect: none
-- file: 001_create.sql
CREATE TABLE customers (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY);
-- file: 002_reference_in_two_statements.sql
-- transaction: wrapped
-- The new column is NULL in every row, which a foreign key accepts: nothing can fail.
ALTER TABLE orders ADD COLUMN customer_id bigint;
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);
-- file: 003_reference_in_one_statement.sql
-- transaction: wrapped
ALTER TABLE orders ADD COLUMN referrer_id bigint,
    ADD CONSTRAINT orders_referrer_fk FOREIGN KEY (referrer_id) REFERENCES customers (id);
