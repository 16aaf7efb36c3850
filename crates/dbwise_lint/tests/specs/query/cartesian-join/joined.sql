-- expect: none
SELECT o.id, c.email FROM orders o, customers c WHERE c.id = o.customer_id;
SELECT o.id, c.email FROM orders o JOIN customers c ON c.id = o.customer_id;
