-- expect: backfill-in-ddl-transaction x1
-- rows: plans=100000
-- file: 001_create.sql
CREATE TABLE plans (id text PRIMARY KEY, code text, tier text, seats integer);
CREATE UNIQUE INDEX plans_code_key ON plans (code);
-- file: 002_change.sql
-- transaction: wrapped
ALTER TABLE plans ADD COLUMN item_limit integer;
-- One row each: the whole condition sets a one-column unique key to a constant.
UPDATE "plans" SET item_limit = 10 WHERE "id" = 'platform';
UPDATE plans SET item_limit = 20 WHERE plans.code = 'gold'::text;
DELETE FROM plans WHERE 'legacy' = id;
-- Many rows: a column that is not unique, and a condition that is more than the key (one
-- finding for both: they run under the same lock).
UPDATE plans SET item_limit = 5 WHERE tier = 'free';
UPDATE plans SET item_limit = 5 WHERE id = 'basic' OR seats > 10;
