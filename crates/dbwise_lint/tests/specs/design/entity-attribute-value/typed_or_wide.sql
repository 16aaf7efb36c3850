-- expect: none
-- One typed value per row is a measurement, not EAV.
CREATE TABLE readings (sensor_id bigint NOT NULL, metric_key text NOT NULL, value double precision NOT NULL);
-- No entity reference: a global settings table.
CREATE TABLE settings (key text PRIMARY KEY, value text NOT NULL);
-- A wide table that happens to have these columns.
CREATE TABLE api_keys (
    id bigint PRIMARY KEY, owner_id bigint, key text, value text, a int, b int, c int, d int, e int
);
