-- expect: none
CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
-- A unique key over NOT NULL columns can serve as the primary key.
CREATE TABLE countries (code text NOT NULL, name text NOT NULL);
CREATE UNIQUE INDEX countries_code_key ON countries (code);
-- A primary key added by a later migration counts.
CREATE TABLE notes (id bigint NOT NULL, body text);
ALTER TABLE notes ADD PRIMARY KEY (id);
-- Partitioned tables and their partitions are left alone.
CREATE TABLE measurements (sensor_id bigint NOT NULL, taken_at timestamptz NOT NULL) PARTITION BY RANGE (taken_at);
CREATE TABLE measurements_2026 PARTITION OF measurements FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
-- A work queue is keyless on purpose.
CREATE TABLE release_pending_update (release bigint NOT NULL);
-- Columns unknown: CREATE TABLE AS.
CREATE TABLE account_copy AS SELECT * FROM accounts;
CREATE TEMPORARY TABLE scratch (x int);
-- An append-only log, by its name: written once, purged by age.
CREATE TABLE lineage_events (event_time timestamptz NOT NULL, payload jsonb);
