-- roles: table=events index=events_id_idx
CREATE TABLE events (id int NOT NULL, payload text);
INSERT INTO events VALUES (1, 'x');
CREATE INDEX events_id_idx ON events (id);
-- check
ALTER TABLE events CLUSTER ON events_id_idx;
