-- expect: none
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);
ALTER TABLE orders ADD COLUMN public_id uuid DEFAULT gen_random_uuid();
-- A new table has no rows to compute.
ALTER TABLE orders ADD COLUMN total_cents bigint GENERATED ALWAYS AS ((total * 100)::bigint) STORED;
-- file: 002_add.sql
-- Constant and stable defaults are stored in the catalog: no rewrite since PostgreSQL 11.
ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new';
ALTER TABLE orders ADD COLUMN created_at timestamptz DEFAULT now();
ALTER TABLE orders ADD COLUMN note text;
