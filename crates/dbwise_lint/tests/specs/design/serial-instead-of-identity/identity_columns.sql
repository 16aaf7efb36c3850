-- expect: none
CREATE TABLE tickets (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title text NOT NULL);
-- The pg_dump spelling of a serial column is not reported: dumps are regenerated.
CREATE SEQUENCE events_id_seq;
CREATE TABLE events (id bigint NOT NULL DEFAULT nextval('events_id_seq'::regclass) PRIMARY KEY);
ALTER SEQUENCE events_id_seq OWNED BY events.id;
-- Converted later in the history.
CREATE TABLE legacy (id serial PRIMARY KEY);
ALTER TABLE legacy ALTER COLUMN id DROP DEFAULT;
ALTER TABLE legacy ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY;
