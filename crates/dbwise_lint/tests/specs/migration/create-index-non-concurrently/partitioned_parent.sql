-- expect: create-index-non-concurrently x1
-- file: 001_create.sql
CREATE TABLE readings (device_id bigint, taken_at timestamptz) PARTITION BY RANGE (taken_at);
-- file: 002_index.sql
CREATE INDEX readings_device_idx ON readings (device_id);
