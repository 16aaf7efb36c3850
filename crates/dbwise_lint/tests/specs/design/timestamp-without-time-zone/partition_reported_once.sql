-- expect: timestamp-without-time-zone x1
CREATE TABLE events (id bigint, received_at timestamptz NOT NULL, happened_at timestamp(3) NOT NULL) PARTITION BY RANGE (happened_at);
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
