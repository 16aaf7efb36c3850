-- roles: referenced-table=customers
CREATE TABLE customers (id int PRIMARY KEY);
INSERT INTO customers VALUES (1);
-- check
CREATE TABLE invoices (id int NOT NULL, customer_id int REFERENCES customers (id));
