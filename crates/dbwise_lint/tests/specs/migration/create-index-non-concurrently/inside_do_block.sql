-- expect: create-index-non-concurrently x1
-- file: 001_create.sql
CREATE TABLE events (id bigint PRIMARY KEY, kind text, at timestamptz);
-- file: 002_index.sql
-- The index is built by a statement of the DO block, on a table that exists: reported at its
-- own line inside the body.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'events_kind_idx') THEN
        CREATE INDEX events_kind_idx ON events (kind);
    END IF;
END $$;
