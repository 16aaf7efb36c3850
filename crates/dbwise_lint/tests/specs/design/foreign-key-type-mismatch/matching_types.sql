-- expect: none
CREATE DOMAIN account_id AS bigint;
CREATE TABLE accounts (id bigserial PRIMARY KEY, code varchar(20) UNIQUE);
CREATE TABLE invoices (
    id bigint PRIMARY KEY,
    account_id bigint REFERENCES accounts (id),
    owner account_id REFERENCES accounts,
    -- String types compare with the same operators.
    account_code text REFERENCES accounts (code)
);
-- Fixed by a later migration.
CREATE TABLE payments (id bigint PRIMARY KEY, account_id integer REFERENCES accounts (id));
ALTER TABLE payments ALTER COLUMN account_id TYPE bigint;
-- The referenced table is not known.
CREATE TABLE refunds (id bigint PRIMARY KEY, ledger_id integer REFERENCES ledgers (id));
