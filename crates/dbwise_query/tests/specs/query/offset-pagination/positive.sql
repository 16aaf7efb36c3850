-- expect: offset-pagination
SELECT id, title FROM posts ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET 50000;
