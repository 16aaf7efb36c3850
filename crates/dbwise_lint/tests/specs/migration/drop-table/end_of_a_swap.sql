-- expect: drop-table x1
-- file: 001_create.sql
CREATE TABLE job_migrations (id bigint PRIMARY KEY, name text);
CREATE TABLE legacy_sessions (id bigint PRIMARY KEY);
-- file: 002_swap.sql
-- transaction: wrapped
-- The old table is renamed away, a new one takes its name and its rows, and the old copy is
-- dropped: the rename is the change running code notices (rename-table), not the drop.
ALTER TABLE job_migrations RENAME TO job_migrations_old;
CREATE TABLE job_migrations (id bigint PRIMARY KEY, name text NOT NULL, line text NOT NULL DEFAULT 'main');
INSERT INTO job_migrations (id, name) SELECT id, name FROM job_migrations_old;
DROP TABLE job_migrations_old;
-- A plain drop in the same file is still reported.
DROP TABLE legacy_sessions;
