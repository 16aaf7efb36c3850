-- expect: alter-column-type-rewrite x1
-- rows: users=100000
-- One migration moves every timestamp to timestamptz: one finding, naming the other lines.
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY, placed_at timestamp);
CREATE TABLE users (id bigint PRIMARY KEY, created_at timestamp, seen_at timestamp);
-- file: 002_zones.sql
ALTER TABLE orders ALTER COLUMN placed_at TYPE timestamptz;
ALTER TABLE users ALTER COLUMN created_at TYPE timestamptz,
    ALTER COLUMN seen_at TYPE timestamptz;
