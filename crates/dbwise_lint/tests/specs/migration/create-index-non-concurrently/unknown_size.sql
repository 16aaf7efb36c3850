-- expect: create-index-non-concurrently x1
-- rows: boards=250000
-- A plain CREATE INDEX blocks writes for as long as the build reads the table: long only on
-- a large table. Listed: boards (its size is known) and webhook_deliveries (records that grow
-- with use), in one finding as one fix covers both. Counted in a note: cards, whose size
-- nothing shows.
-- file: 001_create.sql
CREATE TABLE boards (id bigint PRIMARY KEY, slug text);
CREATE TABLE cards (id bigint PRIMARY KEY, board_id bigint);
CREATE TABLE webhook_deliveries (id bigint PRIMARY KEY, status text);
-- file: 002_indexes.sql
CREATE INDEX boards_slug_idx ON boards (slug);
CREATE INDEX cards_board_idx ON cards (board_id);
CREATE INDEX webhook_deliveries_status_idx ON webhook_deliveries (status);
