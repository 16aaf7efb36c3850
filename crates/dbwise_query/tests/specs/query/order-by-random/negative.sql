-- expect: none
SELECT id, body FROM quotes ORDER BY created_at DESC LIMIT 1;
SELECT random() AS r FROM quotes ORDER BY id LIMIT 1;
