-- expect: enum-value-in-transaction x1
-- transaction: wrapped
-- Even for a type created in the same transaction, PostgreSQL 15 refuses the new value
-- before commit: "unsafe use of new value".
CREATE TYPE priority AS ENUM ('low');
ALTER TYPE priority ADD VALUE 'high';
CREATE TABLE tickets (id bigint PRIMARY KEY, priority priority DEFAULT 'high');
