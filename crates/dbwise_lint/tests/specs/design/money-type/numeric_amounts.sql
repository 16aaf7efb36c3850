-- expect: none
CREATE TABLE payments (id bigint PRIMARY KEY, amount numeric(12,2) NOT NULL, currency char(3) NOT NULL);
CREATE TABLE old_payments (id bigint PRIMARY KEY, amount money);
ALTER TABLE old_payments ALTER COLUMN amount TYPE numeric(12,2);
-- An external table and an unknown type are not judged.
ALTER TABLE legacy_ledger ADD COLUMN balance money;
CREATE TABLE wallets (id bigint PRIMARY KEY, balance currency_amount);
