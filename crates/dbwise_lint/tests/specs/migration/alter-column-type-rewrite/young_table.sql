-- expect: alter-column-type-rewrite x1
-- file: 20240101090000_create_orders.sql
CREATE TABLE orders (id bigint PRIMARY KEY, total integer, note varchar(20));
-- file: 20240104090000_widen_total.sql
-- transaction: wrapped
-- Three days after the table was created: it ships in the same release or holds a few days of
-- rows, so the rewrite is not reported.
ALTER TABLE orders ALTER COLUMN total TYPE bigint;
-- file: 20240401090000_note_to_integer.sql
-- transaction: wrapped
-- Three months later the table has had time to fill.
ALTER TABLE orders ALTER COLUMN note TYPE integer USING note::integer;
