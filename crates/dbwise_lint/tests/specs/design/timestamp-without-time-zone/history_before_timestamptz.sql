-- expect: timestamp-without-time-zone x1
-- Naive columns written before the schema took up timestamptz are its history.
-- file: 001_jobs.sql
CREATE TABLE jobs (id bigint PRIMARY KEY, created_at timestamp(3) NOT NULL, finished_at timestamp(3));
-- file: 002_runs.sql
CREATE TABLE runs (id bigint PRIMARY KEY, started_at timestamptz NOT NULL);
-- file: 003_retry.sql
-- Added after: reported.
ALTER TABLE jobs ADD COLUMN retried_at timestamp;
