-- expect: none
-- file: 001_create.sql
CREATE TYPE sort_type AS ENUM ('hot', 'new');
CREATE TABLE local_user (id bigint PRIMARY KEY, sort sort_type, name text);
CREATE INDEX local_user_name_idx ON local_user (name);
CREATE TABLE sessions (id bigint PRIMARY KEY, token text);
CREATE INDEX sessions_token_idx ON sessions (token);
CREATE TABLE events (id bigint PRIMARY KEY, payload jsonb);
CREATE INDEX events_payload_idx ON events USING gin (payload);
-- file: 002_rewrite.sql
-- transaction: wrapped
-- The type change rewrites local_user, which builds all its indexes again; the column added
-- with a volatile default rewrites events.
ALTER TABLE local_user ALTER COLUMN sort TYPE text USING sort::text;
REINDEX TABLE local_user;
ALTER TABLE events ADD COLUMN created_at timestamptz NOT NULL DEFAULT clock_timestamp();
REINDEX INDEX events_payload_idx;
-- Emptied first: there is nothing to rebuild.
TRUNCATE sessions;
REINDEX INDEX sessions_token_idx;
-- A system catalog is not an application table.
REINDEX TABLE pg_catalog.pg_class;
-- file: 003_setup.sql
-- transaction: none
-- Whole schemas and databases: maintenance run at setup, not a change of one table.
REINDEX SCHEMA public;
REINDEX DATABASE app;
