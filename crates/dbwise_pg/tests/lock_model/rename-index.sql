-- roles: index=orders_customer_idx
CREATE TABLE orders (id int NOT NULL, customer_id int);
INSERT INTO orders VALUES (1, 1);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
-- check
ALTER INDEX orders_customer_id_idx RENAME TO orders_customer_idx;
