-- expect: missing-lock-timeout x3
-- One migration of four sets a lock_timeout: the project took the practice up, and the
-- migrations that leave it out are reported one by one.
-- file: 000_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY);
-- file: 001_careful.sql
SET lock_timeout = '2s';
ALTER TABLE orders ADD COLUMN kept text;
-- file: 002_add.sql
ALTER TABLE orders ADD COLUMN c2 text;
-- file: 003_add.sql
ALTER TABLE orders ADD COLUMN c3 text;
-- file: 004_add.sql
ALTER TABLE orders ADD COLUMN c4 text;
