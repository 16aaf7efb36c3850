-- expect: cartesian-join x1
-- The catalog places the unqualified columns: `status` is a column of orders only, so nothing
-- links customers to orders in the first query; the second is joined by customer_id = customer_no.
CREATE TABLE customers (customer_no bigint PRIMARY KEY, email text);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, status text);
SELECT o.id, c.email FROM orders o, customers c WHERE status = 'new';
SELECT o.id, c.email FROM orders o, customers c WHERE customer_id = customer_no;
