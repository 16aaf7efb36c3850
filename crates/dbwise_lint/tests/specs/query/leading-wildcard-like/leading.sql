-- expect: leading-wildcard-like x2
SELECT id FROM customers WHERE email LIKE '%@example.com';
SELECT id FROM products WHERE title ILIKE '_ea%';
