-- expect: none
CREATE TABLE events (id bigint PRIMARY KEY, payload jsonb NOT NULL);
CREATE TABLE hooks (id bigint PRIMARY KEY, body json);
ALTER TABLE hooks ALTER COLUMN body TYPE jsonb USING body::jsonb;
-- A view's columns are not judged.
CREATE VIEW event_payloads AS SELECT id, payload::json AS payload FROM events;
