-- expect: add-column-volatile-default x3
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY, total numeric NOT NULL DEFAULT 0);
-- file: 002_add.sql
ALTER TABLE orders ADD COLUMN public_id uuid DEFAULT gen_random_uuid();
-- file: 003_serial.sql
ALTER TABLE orders ADD COLUMN seq bigserial;
-- file: 004_generated.sql
-- A stored generated column is computed for every existing row. Each statement rewrites the
-- table again: the two are one finding, at the first.
ALTER TABLE orders ADD COLUMN total_cents bigint GENERATED ALWAYS AS ((total * 100)::bigint) STORED;
ALTER TABLE orders ADD COLUMN total_tenth numeric GENERATED ALWAYS AS (total / 10) STORED;
