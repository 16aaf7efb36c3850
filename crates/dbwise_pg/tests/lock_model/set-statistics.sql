-- roles: table=orders
CREATE TABLE orders (id int NOT NULL, customer_id int);
INSERT INTO orders VALUES (1, 1);
-- check
ALTER TABLE orders ALTER COLUMN customer_id SET STATISTICS 500;
