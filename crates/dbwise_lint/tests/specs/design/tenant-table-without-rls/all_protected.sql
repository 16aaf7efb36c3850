-- expect: none
CREATE TABLE projects (id bigint PRIMARY KEY, org_id bigint NOT NULL);
CREATE TABLE invoices (id bigint PRIMARY KEY, org_id bigint NOT NULL);
CREATE TABLE tenants (id bigint PRIMARY KEY);
ALTER TABLE projects ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
-- Partitions are covered by the parent's policy.
CREATE TABLE events (org_id bigint NOT NULL, at timestamptz NOT NULL) PARTITION BY RANGE (at);
ALTER TABLE events ENABLE ROW LEVEL SECURITY;
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
