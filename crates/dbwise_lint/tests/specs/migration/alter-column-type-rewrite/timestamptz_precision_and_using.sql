-- expect: alter-column-type-rewrite x2
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY, a timestamp(3), b timestamp(3), c timestamp, d timestamp);
-- file: 002_utc.sql
-- transaction: wrapped
SET timezone = 'UTC';
-- A precision below 6 on the new type keeps a rounding step: rewritten even in UTC.
ALTER TABLE orders ALTER COLUMN a TYPE timestamptz(3);
-- No precision, or 6: a catalog update.
ALTER TABLE orders ALTER COLUMN b TYPE timestamptz;
ALTER TABLE orders ALTER COLUMN c TYPE timestamptz(6);
-- file: 003_using.sql
-- transaction: wrapped
SET timezone = 'UTC';
-- A USING expression is computed for every row.
ALTER TABLE orders ALTER COLUMN d TYPE timestamptz USING d AT TIME ZONE 'UTC';
