-- roles: table=measurements partition=measurements_2024
CREATE TABLE measurements (taken_on date NOT NULL, value numeric) PARTITION BY RANGE (taken_on);
CREATE TABLE measurements_2024 (taken_on date NOT NULL, value numeric);
INSERT INTO measurements_2024 VALUES ('2024-06-01', 1);
-- check
ALTER TABLE measurements ATTACH PARTITION measurements_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
