-- roles: table=orders referenced-table=customers
CREATE TABLE customers (id int PRIMARY KEY);
CREATE TABLE orders (id int NOT NULL);
INSERT INTO customers VALUES (1);
INSERT INTO orders VALUES (1);
-- check
ALTER TABLE orders ADD COLUMN customer_id int REFERENCES customers (id);
