-- roles: table=orders
CREATE TABLE orders (id int NOT NULL, customer_id int);
INSERT INTO orders VALUES (1, 1);
-- check
CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);
