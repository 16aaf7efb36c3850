-- expect: add-unique-constraint-locking x1
-- rows: person_stats=100000, devices=100000
-- file: 001_create.sql
CREATE TABLE person_stats (id serial PRIMARY KEY, person_id bigint, score integer);
CREATE TABLE devices (id bigint PRIMARY KEY, serial text);
-- file: 002_change.sql
-- transaction: wrapped
-- The unique key lives only until the primary key replaces it, later in this migration.
ALTER TABLE person_stats ADD UNIQUE (person_id);
ALTER TABLE person_stats
    DROP COLUMN id,
    ADD PRIMARY KEY (person_id),
    DROP CONSTRAINT person_stats_person_id_key;
-- A constraint of that name dropped from another table: this one stays.
ALTER TABLE devices ADD CONSTRAINT devices_serial_key UNIQUE (serial);
ALTER TABLE person_stats DROP CONSTRAINT IF EXISTS devices_serial_key;
