-- expect: none
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY, created_at timestamptz);
VACUUM FULL orders;
-- file: 002_maintenance.sql
VACUUM orders;
VACUUM ANALYZE orders;
