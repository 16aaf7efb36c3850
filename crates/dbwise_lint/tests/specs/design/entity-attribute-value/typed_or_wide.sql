-- expect: none
-- One typed value per row is a measurement, not EAV.
CREATE TABLE readings (sensor_id bigint NOT NULL, metric_key text NOT NULL, value double precision NOT NULL);
-- No entity reference: a global settings table.
CREATE TABLE settings (key text PRIMARY KEY, value text NOT NULL);
-- A wide table that happens to have these columns.
CREATE TABLE api_keys (
    id bigint PRIMARY KEY, owner_id bigint, key text, value text, a int, b int, c int, d int, e int
);
-- A document store: the key alone identifies the row, and columns generated from the document
-- are not an entity's attributes.
CREATE TABLE templates (
    key varchar(250) NOT NULL PRIMARY KEY,
    value jsonb NOT NULL,
    id varchar(100) NOT NULL GENERATED ALWAYS AS (value ->> 'id') STORED,
    namespace varchar(150) NOT NULL GENERATED ALWAYS AS (value ->> 'namespace') STORED,
    tenant_id varchar(250)
);
-- The chunks of a stream, kept in order: no attribute of the run is at position 2.
CREATE TABLE stream_chunks (id text PRIMARY KEY, run_id text NOT NULL, key text NOT NULL, value text NOT NULL, sequence integer NOT NULL);
