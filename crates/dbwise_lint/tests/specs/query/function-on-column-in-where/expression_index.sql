-- expect: none
CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL);
CREATE INDEX customers_lower_email_idx ON customers (lower(email));
SELECT id FROM customers WHERE lower(email) = lower('Anna@Example.com');
SELECT id FROM customers WHERE email = lower('Anna@Example.com');
