-- expect: alter-column-type-rewrite x1
-- rows: jobs=2000000
-- file: 001_create.sql
CREATE TYPE job_status AS ENUM ('todo', 'doing', 'failed', 'succeeded');
CREATE TABLE jobs (id bigint PRIMARY KEY, status job_status NOT NULL);
-- file: 002_fix.sql
-- The type stays; the USING clause rewrites values, which an UPDATE does without the lock.
ALTER TABLE jobs ALTER COLUMN status TYPE job_status
    USING (CASE status WHEN 'doing' THEN 'todo' ELSE status END);
