-- roles: table=events
CREATE TABLE events (id int NOT NULL, payload text);
INSERT INTO events VALUES (1, 'x');
-- check
ALTER TABLE events ALTER COLUMN payload SET STORAGE EXTERNAL;
