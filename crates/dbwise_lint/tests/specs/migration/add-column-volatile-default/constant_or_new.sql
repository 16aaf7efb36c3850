-- expect: none
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY);
ALTER TABLE orders ADD COLUMN public_id uuid DEFAULT gen_random_uuid();
-- file: 002_add.sql
-- Constant and stable defaults are stored in the catalog: no rewrite since PostgreSQL 11.
ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new';
ALTER TABLE orders ADD COLUMN created_at timestamptz DEFAULT now();
ALTER TABLE orders ADD COLUMN note text;
