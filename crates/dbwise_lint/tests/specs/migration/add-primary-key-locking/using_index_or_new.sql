-- expect: none
-- file: 001_create.sql
CREATE TABLE events (id bigint NOT NULL, payload jsonb);
CREATE TABLE audit (id bigint NOT NULL);
ALTER TABLE audit ADD PRIMARY KEY (id);
-- file: 002_index.sql
-- transaction: none
CREATE UNIQUE INDEX CONCURRENTLY events_pkey ON events (id);
-- file: 003_pk.sql
ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_pkey;
