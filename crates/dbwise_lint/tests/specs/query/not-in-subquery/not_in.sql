-- expect: not-in-subquery x1
SELECT id FROM customers WHERE id NOT IN (SELECT customer_id FROM orders);
