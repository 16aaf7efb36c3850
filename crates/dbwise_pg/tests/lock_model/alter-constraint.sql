-- roles: table=orders
CREATE TABLE customers (id int PRIMARY KEY);
CREATE TABLE orders (id int NOT NULL, customer_id int CONSTRAINT orders_customer_fk REFERENCES customers (id));
INSERT INTO customers VALUES (1);
INSERT INTO orders VALUES (1, 1);
-- check
ALTER TABLE orders ALTER CONSTRAINT orders_customer_fk DEFERRABLE INITIALLY DEFERRED;
