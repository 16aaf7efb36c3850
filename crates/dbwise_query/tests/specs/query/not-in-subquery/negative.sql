-- expect: none
SELECT id FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id);
SELECT id FROM customers WHERE id NOT IN (1, 2, 3);
SELECT id FROM customers WHERE id IN (SELECT customer_id FROM orders);
