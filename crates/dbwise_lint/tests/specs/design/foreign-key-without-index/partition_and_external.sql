-- expect: none
CREATE TABLE devices (id bigint PRIMARY KEY);
CREATE TABLE readings (
    device_id bigint NOT NULL REFERENCES devices (id),
    taken_at timestamptz NOT NULL,
    value double precision
) PARTITION BY RANGE (taken_at);
CREATE INDEX readings_device_idx ON readings (device_id, taken_at);
CREATE TABLE readings_2026 PARTITION OF readings FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
-- legacy_events was never created here: dbwise cannot see its indexes and stays quiet.
ALTER TABLE legacy_events ADD CONSTRAINT legacy_events_device_fk FOREIGN KEY (device_id) REFERENCES devices (id);
