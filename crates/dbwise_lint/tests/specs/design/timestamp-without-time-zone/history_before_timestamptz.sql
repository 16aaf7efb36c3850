-- expect: timestamp-without-time-zone x1
-- A naive column is reported only beside a timestamptz column of its own table.
-- file: 001_jobs.sql
CREATE TABLE jobs (id bigint PRIMARY KEY, created_at timestamp(3) NOT NULL, finished_at timestamp(3));
-- file: 002_runs.sql
CREATE TABLE runs (id bigint PRIMARY KEY, queued_at timestamptz NOT NULL, started_at timestamptz, finished_at timestamptz);
-- file: 003_retry.sql
-- Added after, beside a timestamptz column of its table: reported.
ALTER TABLE runs ADD COLUMN retried_at timestamp;
-- Added after, to a table that is naive throughout: a leftover, not reported.
ALTER TABLE jobs ADD COLUMN cancelled_at timestamp;
