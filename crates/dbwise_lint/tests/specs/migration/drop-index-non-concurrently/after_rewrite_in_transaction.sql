-- expect: none
-- rows: procrastinate_jobs=5000000
-- file: 001_create.sql
CREATE TYPE job_status AS ENUM ('todo', 'doing', 'failed', 'succeeded');
CREATE TABLE procrastinate_jobs (id bigint PRIMARY KEY, status text NOT NULL);
CREATE INDEX procrastinate_jobs_status_idx ON procrastinate_jobs (status);
-- file: 002_upgrade.sql
-- transaction: wrapped
-- The rewrite already holds ACCESS EXCLUSIVE on the table until the commit: the drop waits
-- for nothing new.
ALTER TABLE procrastinate_jobs ALTER COLUMN status TYPE job_status USING status::job_status;
DROP INDEX procrastinate_jobs_status_idx;
