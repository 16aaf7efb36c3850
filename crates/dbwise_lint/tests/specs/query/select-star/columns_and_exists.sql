-- expect: none
SELECT id, status FROM orders WHERE customer_id = 7;
SELECT id FROM customers c WHERE EXISTS (SELECT * FROM orders o WHERE o.customer_id = c.id);
SELECT count(*) FROM orders;
