-- expect: offset-pagination x1
SELECT id, title FROM posts ORDER BY published_at DESC LIMIT 20 OFFSET 40000;
