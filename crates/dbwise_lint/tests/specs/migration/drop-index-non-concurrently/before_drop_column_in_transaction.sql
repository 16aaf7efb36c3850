-- expect: drop-index-non-concurrently x2
-- rows: orders=5000000
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY, is_draft boolean, status text);
CREATE INDEX orders_is_draft_idx ON orders (is_draft);
CREATE INDEX orders_status_idx ON orders (status);
CREATE INDEX orders_pk_copy_idx ON orders (id, status);
-- file: 002_remove_drafts.sql
-- transaction: wrapped
-- The DROP COLUMN after it locks the table anyway: CONCURRENTLY would spare nothing.
DROP INDEX orders_is_draft_idx;
ALTER TABLE orders DROP COLUMN is_draft;
-- file: 003_status.sql
-- transaction: wrapped
-- A later statement that locks the table less strongly leaves the drop reported.
DROP INDEX orders_status_idx;
CREATE INDEX orders_status_v2_idx ON orders (status, id);
-- file: 004_two_drops.sql
-- transaction: wrapped
-- Two plain drops on one table: the first is reported (the second waits for nothing new), since
-- both take the same fix.
DROP INDEX orders_status_v2_idx;
DROP INDEX orders_pk_copy_idx;
