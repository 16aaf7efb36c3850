-- expect: add-column-volatile-default x3
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY, total numeric NOT NULL DEFAULT 0);
-- file: 002_add.sql
ALTER TABLE orders ADD COLUMN public_id uuid DEFAULT gen_random_uuid();
ALTER TABLE orders ADD COLUMN seq bigserial;
-- A stored generated column is computed for every existing row.
ALTER TABLE orders ADD COLUMN total_cents bigint GENERATED ALWAYS AS ((total * 100)::bigint) STORED;
