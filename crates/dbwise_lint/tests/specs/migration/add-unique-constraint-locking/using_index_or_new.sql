-- expect: none
-- file: 001_create.sql
CREATE TABLE users (id bigint PRIMARY KEY, email text, handle text);
ALTER TABLE users ADD CONSTRAINT users_handle_key UNIQUE (handle);
-- file: 002_index.sql
-- transaction: none
CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);
-- file: 003_constraint.sql
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;
