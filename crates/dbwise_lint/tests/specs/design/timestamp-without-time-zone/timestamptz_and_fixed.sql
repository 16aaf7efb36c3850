-- expect: none
CREATE TABLE events (id bigint PRIMARY KEY, happened_at timestamptz NOT NULL, day date, at_time time);
CREATE TABLE audit (id bigint, logged_at timestamp);
-- Converted later in the history: the final schema is what counts.
ALTER TABLE audit ALTER COLUMN logged_at TYPE timestamp with time zone;
