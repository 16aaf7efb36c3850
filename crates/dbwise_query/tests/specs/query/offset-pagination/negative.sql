-- expect: none
SELECT id, title FROM posts ORDER BY created_at DESC LIMIT 20 OFFSET 40;
SELECT id, title FROM posts ORDER BY created_at DESC LIMIT 20 OFFSET $1;
