-- expect: leading-wildcard-like
SELECT id FROM users WHERE email LIKE '%@example.com';
SELECT id FROM users WHERE name ILIKE '%' || $1 || '%';
