-- expect: opaque-do-block x1
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY);
-- file: 002_dynamic.sql
DO $$
BEGIN
  EXECUTE format('ALTER TABLE %I ADD COLUMN archived_at timestamptz', 'orders');
END $$;
