-- expect: none
SELECT c.name, o.total FROM customers c, orders o WHERE o.customer_id = c.id;
SELECT c.name, o.total FROM customers c JOIN orders o ON o.customer_id = c.id;
SELECT name FROM customers, generate_series(1, 3) AS g;
