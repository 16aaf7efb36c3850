-- expect: order-by-random
SELECT id, body FROM quotes ORDER BY random() LIMIT 1;
