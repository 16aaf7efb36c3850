-- roles: table=events
CREATE TABLE events (id int NOT NULL, payload text);
INSERT INTO events VALUES (1, 'x');
-- check
ALTER TABLE events SET (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.01);
