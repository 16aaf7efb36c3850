-- roles: table=events
CREATE TABLE events (id int NOT NULL, kind text, payload text);
INSERT INTO events VALUES (1, 'a', 'x');
-- check
CREATE STATISTICS events_kind_payload (dependencies) ON kind, payload FROM events;
