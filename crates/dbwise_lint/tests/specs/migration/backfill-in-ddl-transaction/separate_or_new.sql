-- expect: none
-- file: 001_create.sql
-- transaction: wrapped
CREATE TABLE orders (id bigint PRIMARY KEY);
ALTER TABLE orders ADD COLUMN currency text;
UPDATE orders SET currency = 'EUR';
-- file: 002_ddl.sql
-- transaction: wrapped
ALTER TABLE orders ADD COLUMN note text;
-- file: 003_backfill.sql
-- transaction: wrapped
UPDATE orders SET note = '' WHERE note IS NULL;
-- file: 004_catalog.sql
-- transaction: wrapped
ALTER TABLE orders ADD COLUMN flag boolean;
-- A system catalog, not an application table.
UPDATE pg_index SET indisready = true WHERE false;
