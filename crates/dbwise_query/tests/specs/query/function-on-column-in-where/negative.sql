-- expect: none
SELECT id FROM users WHERE email = lower($1);
SELECT count(*) FROM orders WHERE created_at >= '2024-01-01' AND created_at < '2024-01-02';
