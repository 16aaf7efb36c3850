-- expect: function-on-column-in-where x1
-- An index on customers (lower(email)) serves the email of customers, not that of accounts:
-- the catalog tells which table the unqualified `email` of each join belongs to.
CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL);
CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, account_id bigint);
CREATE INDEX customers_lower_email_idx ON customers (lower(email));
SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id WHERE lower(email) = $1;
SELECT o.id FROM orders o JOIN accounts a ON a.id = o.account_id WHERE lower(email) = $1;
