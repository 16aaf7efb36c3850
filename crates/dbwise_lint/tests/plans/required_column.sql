-- A NOT NULL column with no default on a table that has rows: added nullable, filled with the
-- value the application chooses, then made NOT NULL through a valid CHECK.
-- value: 'EUR'
-- file: 001_schema.sql
CREATE TABLE invoices (id bigint PRIMARY KEY, total numeric(12,2));
INSERT INTO invoices SELECT g, g * 1.5 FROM generate_series(1, 25000) AS g;
-- file: 002_currency.sql
ALTER TABLE invoices ADD COLUMN currency text NOT NULL;
