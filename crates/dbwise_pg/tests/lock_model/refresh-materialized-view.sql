-- roles: materialized-view=order_totals
CREATE TABLE orders (id int NOT NULL, customer_id int, total numeric);
INSERT INTO orders VALUES (1, 1, 10);
CREATE MATERIALIZED VIEW order_totals AS SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id;
-- check
REFRESH MATERIALIZED VIEW order_totals;
