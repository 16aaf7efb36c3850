-- roles: table=bookings
CREATE TABLE bookings (id int NOT NULL, during tsrange);
INSERT INTO bookings VALUES (1, '[2024-01-01, 2024-01-02)');
-- check
ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (during WITH &&);
