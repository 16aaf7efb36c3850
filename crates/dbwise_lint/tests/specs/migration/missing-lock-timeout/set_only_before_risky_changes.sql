-- expect: missing-lock-timeout x1
-- One migration of twelve sets a lock_timeout before a change it judged risky: the project
-- has not taken the practice up, and one finding says so for the eleven others.
-- file: 000_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY);
-- file: 001_risky.sql
SET lock_timeout = '2s';
ALTER TABLE orders ADD COLUMN kept text;
-- file: 002_add.sql
ALTER TABLE orders ADD COLUMN c2 text;
-- file: 003_add.sql
ALTER TABLE orders ADD COLUMN c3 text;
-- file: 004_add.sql
ALTER TABLE orders ADD COLUMN c4 text;
-- file: 005_add.sql
ALTER TABLE orders ADD COLUMN c5 text;
-- file: 006_add.sql
ALTER TABLE orders ADD COLUMN c6 text;
-- file: 007_add.sql
ALTER TABLE orders ADD COLUMN c7 text;
-- file: 008_add.sql
ALTER TABLE orders ADD COLUMN c8 text;
-- file: 009_add.sql
ALTER TABLE orders ADD COLUMN c9 text;
-- file: 010_add.sql
ALTER TABLE orders ADD COLUMN c10 text;
-- file: 011_add.sql
ALTER TABLE orders ADD COLUMN c11 text;
-- file: 012_add.sql
ALTER TABLE orders ADD COLUMN c12 text;
