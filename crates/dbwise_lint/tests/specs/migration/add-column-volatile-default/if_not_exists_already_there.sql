-- expect: none
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY, token uuid DEFAULT gen_random_uuid());
-- file: 002_again.sql
-- The column exists: IF NOT EXISTS adds nothing and rewrites nothing.
ALTER TABLE orders ADD COLUMN IF NOT EXISTS token uuid DEFAULT gen_random_uuid();
