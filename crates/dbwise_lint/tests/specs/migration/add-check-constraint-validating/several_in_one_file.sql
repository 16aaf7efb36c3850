-- expect: add-check-constraint-validating x1
-- rows: purchases=100000, rate_cards=100000
-- file: 001_create.sql
CREATE TABLE purchases (id bigint PRIMARY KEY, settlement text, amount numeric);
CREATE TABLE rate_cards (id bigint PRIMARY KEY, feature_id bigint, price numeric);
-- file: 002_checks.sql
-- transaction: wrapped
-- Two checks in one ALTER and one on another table: one finding names the other lines.
ALTER TABLE purchases ADD CONSTRAINT settled CHECK (settlement IS NOT NULL), ADD CONSTRAINT positive CHECK (amount > 0);
ALTER TABLE rate_cards
    ADD CONSTRAINT priced CHECK (price >= 0);
