-- expect: none
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY, code varchar(10), note varchar(100), amount numeric(10,2), total integer);
ALTER TABLE orders ALTER COLUMN total TYPE bigint;
-- file: 002_type.sql
-- Widening a varchar, varchar to text and more numeric precision keep the stored bytes.
ALTER TABLE orders ALTER COLUMN code TYPE varchar(20);
ALTER TABLE orders ALTER COLUMN note TYPE text;
ALTER TABLE orders ALTER COLUMN amount TYPE numeric(14,2);
-- The history never shows this table: its column types are unknown.
ALTER TABLE payments ALTER COLUMN amount TYPE numeric(14,2);
