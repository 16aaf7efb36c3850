-- expect: function-on-column-in-where x1
CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL);
SELECT id FROM customers WHERE lower(email) = lower('Anna@Example.com');
