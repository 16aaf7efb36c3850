-- expect: none
-- The only lock held is on a table the transaction dropped: a query on it fails either way,
-- so the DELETE that follows makes nobody wait longer.
-- file: 001_create.sql
CREATE TABLE legacy_traces (id bigint PRIMARY KEY);
CREATE TABLE background_jobs (id bigint PRIMARY KEY, name text);
-- file: 002_drop.sql
-- transaction: wrapped
DROP TABLE legacy_traces;
DELETE FROM background_jobs WHERE name = 'migrate-traces';
