-- expect: none
SELECT id FROM users WHERE email LIKE 'bob%';
SELECT id FROM users WHERE name NOT LIKE 'x%';
