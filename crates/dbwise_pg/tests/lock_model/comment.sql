-- roles: table=events
CREATE TABLE events (id int NOT NULL, payload text);
INSERT INTO events VALUES (1, 'x');
-- check
COMMENT ON COLUMN events.payload IS 'Raw JSON as received';
