-- expect: order-by-random x1
SELECT id FROM products ORDER BY random() LIMIT 5;
