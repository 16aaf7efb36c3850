-- expect: none
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY);
-- file: 002_static.sql
-- Static statements, guarded or in a string literal, are followed.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'order_state') THEN
    CREATE TYPE order_state AS ENUM ('open', 'closed');
  END IF;
  EXECUTE 'ALTER TABLE orders ADD COLUMN archived_at timestamptz';
END $$;
-- file: 003_check.sql
-- A safety check that only reads into a variable is followed.
DO $$
DECLARE
  missing bigint;
BEGIN
  SELECT count(*) INTO missing FROM orders WHERE archived_at IS NULL;
  IF missing > 0 THEN
    RAISE EXCEPTION '% orders are not archived', missing;
  END IF;
END $$;
