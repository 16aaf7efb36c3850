-- roles: table=orders index=orders_customer_id_idx
CREATE TABLE orders (id int NOT NULL, customer_id int);
INSERT INTO orders VALUES (1, 1);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
-- check
DROP INDEX orders_customer_id_idx;
