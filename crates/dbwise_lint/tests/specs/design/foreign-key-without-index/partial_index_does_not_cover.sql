-- expect: foreign-key-without-index x1
-- rows: invoices=100000
CREATE TABLE accounts (id bigint PRIMARY KEY);
CREATE TABLE invoices (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts, paid boolean);
-- A partial index only covers some rows; a GIN index cannot serve the equality lookup.
CREATE INDEX invoices_unpaid_account_idx ON invoices (account_id) WHERE NOT paid;
