-- roles: table=orders
CREATE TABLE orders (id int NOT NULL, total numeric CONSTRAINT orders_total_positive CHECK (total > 0));
INSERT INTO orders VALUES (1, 10);
-- check
ALTER TABLE orders DROP CONSTRAINT orders_total_positive;
