-- expect: none
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY);
ALTER TABLE orders ADD COLUMN placed_by bigint NOT NULL;
-- file: 002_add.sql
ALTER TABLE orders ADD COLUMN currency text NOT NULL DEFAULT 'EUR';
ALTER TABLE orders ADD COLUMN line_count integer GENERATED ALWAYS AS (1) STORED NOT NULL;
ALTER TABLE orders ADD COLUMN note text;
-- file: 003_emptied.sql
-- The migration empties the table first: no row can hold a NULL.
DELETE FROM orders;
ALTER TABLE orders ADD COLUMN placed_at timestamptz NOT NULL;
