-- expect: enum-value-in-transaction x1
-- pg-version: 11
-- file: 001_create.sql
CREATE TYPE order_status AS ENUM ('open', 'closed');
-- file: 002_value.sql
-- transaction: wrapped
-- Before PostgreSQL 12, ADD VALUE fails in a transaction block even when nothing uses it.
ALTER TYPE order_status ADD VALUE 'archived';
