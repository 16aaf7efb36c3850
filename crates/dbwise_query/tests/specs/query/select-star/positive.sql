-- expect: select-star
SELECT * FROM orders WHERE customer_id = 42;
SELECT o.*, c.name FROM orders o JOIN customers c ON c.id = o.customer_id;
