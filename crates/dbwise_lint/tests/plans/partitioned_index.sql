-- file: 001_schema.sql
CREATE TABLE readings (device_id bigint NOT NULL, taken_at timestamptz NOT NULL, value double precision) PARTITION BY RANGE (taken_at);
CREATE TABLE readings_2024 PARTITION OF readings FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE readings_2025 PARTITION OF readings FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
INSERT INTO readings VALUES (1, '2024-06-01', 1.5), (2, '2025-06-01', 2.5);
-- file: 002_index.sql
CREATE INDEX readings_device_idx ON readings (device_id, taken_at DESC);
