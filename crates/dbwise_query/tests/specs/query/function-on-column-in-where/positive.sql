-- expect: function-on-column-in-where
SELECT id FROM users WHERE lower(email) = 'ann@example.com';
SELECT count(*) FROM orders WHERE date(created_at) = '2024-01-01';
