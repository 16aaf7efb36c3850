-- expect: select-star x2
SELECT * FROM orders WHERE customer_id = 7;
SELECT o.* FROM orders o JOIN customers c ON c.id = o.customer_id;
