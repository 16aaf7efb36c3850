-- expect: none
SELECT id FROM products ORDER BY created_at DESC LIMIT 5;
SELECT id, random() AS r FROM products LIMIT 5;
