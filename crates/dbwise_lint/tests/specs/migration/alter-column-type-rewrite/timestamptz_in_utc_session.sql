-- expect: alter-column-type-rewrite x2
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY, placed_at timestamp, paid_at timestamp, sent_at timestamp, seen_at timestamp);
-- file: 002_utc.sql
-- transaction: wrapped
-- In a UTC session the stored values mean the same instants: no rewrite (PostgreSQL 12+).
SET timezone = 'UTC';
ALTER TABLE orders ALTER COLUMN placed_at TYPE timestamptz;
SET TIME ZONE 'Etc/UTC';
ALTER TABLE orders ALTER COLUMN paid_at TYPE timestamptz;
-- file: 003_other_zone.sql
-- transaction: wrapped
-- Any other zone shifts the values: the table is rewritten.
SET timezone = 'Europe/Berlin';
ALTER TABLE orders ALTER COLUMN sent_at TYPE timestamptz;
-- file: 004_local_setting_ends.sql
BEGIN;
SET LOCAL timezone = 'UTC';
COMMIT;
-- The SET LOCAL ended with its transaction.
ALTER TABLE orders ALTER COLUMN seen_at TYPE timestamptz;
