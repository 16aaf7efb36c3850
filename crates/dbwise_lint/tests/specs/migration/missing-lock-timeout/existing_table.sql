-- expect: missing-lock-timeout x1
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY, note text);
-- file: 002_alter.sql
-- One finding per migration: the first statement that needs a strong lock.
ALTER TABLE orders ADD COLUMN currency text;
ALTER TABLE orders DROP COLUMN note;
