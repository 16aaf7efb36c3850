-- roles: table=orders
CREATE TABLE orders (id int NOT NULL, total numeric);
INSERT INTO orders VALUES (1, 10);
-- check
ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0);
