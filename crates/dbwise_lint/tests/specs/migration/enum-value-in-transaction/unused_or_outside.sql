-- expect: none
-- file: 001_create.sql
CREATE TYPE order_status AS ENUM ('open', 'closed');
CREATE TABLE orders (id bigint PRIMARY KEY, status order_status);
-- file: 002_value.sql
-- transaction: wrapped
-- From PostgreSQL 12 this is fine as long as the value is not used before commit.
ALTER TYPE order_status ADD VALUE 'archived';
-- file: 003_two_types.sql
-- transaction: wrapped
-- The same label added to two types: neither statement uses the other's value.
CREATE TYPE step_status AS ENUM ('open');
ALTER TYPE order_status ADD VALUE 'retrying';
ALTER TYPE step_status ADD VALUE 'retrying';
-- file: 004_value.sql
-- transaction: none
ALTER TYPE order_status ADD VALUE 'cancelled';
UPDATE orders SET status = 'cancelled' WHERE status = 'closed';
