-- expect: none
-- rows: procrastinate_jobs=5000000
-- file: 001_create.sql
CREATE TYPE job_status AS ENUM ('todo', 'doing', 'failed', 'succeeded');
CREATE TABLE procrastinate_jobs (id bigint PRIMARY KEY, status text NOT NULL, queue text NOT NULL);
-- file: 002_upgrade.sql
-- transaction: wrapped
-- The type change rewrites the table and holds ACCESS EXCLUSIVE until the commit: the index
-- built after it in the same transaction adds nothing a CONCURRENTLY could save.
ALTER TABLE procrastinate_jobs ALTER COLUMN status TYPE job_status USING status::job_status;
CREATE INDEX procrastinate_jobs_queue_idx ON procrastinate_jobs (queue);
