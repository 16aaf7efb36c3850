-- expect: add-primary-key-locking x1
-- rows: tokens=100000
-- file: 001_create.sql
CREATE TABLE tokens (token text, user_id bigint);
-- file: 002_change.sql
-- transaction: wrapped
-- A primary key that this migration replaces a few statements later is not reported; the one
-- that stays is.
ALTER TABLE tokens ADD CONSTRAINT tokens_pkey PRIMARY KEY (token);
ALTER TABLE tokens DROP CONSTRAINT tokens_pkey;
ALTER TABLE tokens ADD PRIMARY KEY (token, user_id);
