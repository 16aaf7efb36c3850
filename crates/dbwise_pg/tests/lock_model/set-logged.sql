-- roles: table=events
CREATE UNLOGGED TABLE events (id int NOT NULL, payload text);
INSERT INTO events VALUES (1, 'x');
-- check
ALTER TABLE events SET LOGGED;
