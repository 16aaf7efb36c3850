-- expect: add-primary-key-locking x1
-- file: 001_create.sql
CREATE TABLE events (id bigint NOT NULL, payload jsonb);
-- file: 002_pk.sql
ALTER TABLE events ADD PRIMARY KEY (id);
