-- roles: materialized-view=order_totals index=order_totals_customer_idx
CREATE TABLE orders (id int NOT NULL, customer_id int, total numeric);
INSERT INTO orders VALUES (1, 1, 10);
CREATE MATERIALIZED VIEW order_totals AS SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id;
CREATE UNIQUE INDEX order_totals_customer_idx ON order_totals (customer_id);
-- check
REFRESH MATERIALIZED VIEW CONCURRENTLY order_totals;
