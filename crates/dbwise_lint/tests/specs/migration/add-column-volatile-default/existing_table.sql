-- expect: add-column-volatile-default x2
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY);
-- file: 002_add.sql
ALTER TABLE orders ADD COLUMN public_id uuid DEFAULT gen_random_uuid();
ALTER TABLE orders ADD COLUMN seq bigserial;
