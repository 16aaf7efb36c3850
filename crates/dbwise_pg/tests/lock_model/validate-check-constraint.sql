-- roles: table=orders
CREATE TABLE orders (id int NOT NULL, total numeric);
INSERT INTO orders VALUES (1, 10);
ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0) NOT VALID;
-- check
ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;
