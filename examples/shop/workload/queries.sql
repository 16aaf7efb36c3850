-- The shop's hottest queries, one statement each, weighted by how often they run.

-- calls: 120000
SELECT id, status, placed_at FROM orders WHERE customer_id = $1 ORDER BY placed_at DESC LIMIT 20;

-- calls: 90000
SELECT * FROM products WHERE id = $1;

-- calls: 4000
SELECT id, title FROM products WHERE title ILIKE '%' || $1 || '%';

-- calls: 2500
SELECT id FROM customers WHERE lower(email) = lower($1);

-- calls: 300
SELECT id, title FROM products ORDER BY id LIMIT 50 OFFSET 5000;

-- calls: 40000
INSERT INTO orders (customer_id, status) VALUES ($1, 'new') RETURNING id;

-- calls: 40000
INSERT INTO order_lines (order_id, product_id, quantity, unit_price_cents) VALUES ($1, $2, $3, $4);
