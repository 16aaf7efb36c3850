-- expect: natural-key-without-unique x1
-- file: 001_create.sql
CREATE TABLE users (id bigint PRIMARY KEY, email text UNIQUE, username text);
CREATE UNIQUE INDEX users_username_idx ON users (username);
CREATE TABLE teams (id bigint PRIMARY KEY, slug text, name text);
CREATE UNIQUE INDEX teams_slug_name_idx ON teams (slug, name);
-- file: 002_let_repeat.sql
-- The project dropped the unique keys on purpose: emails and usernames may repeat now.
ALTER TABLE users DROP CONSTRAINT users_email_key;
DROP INDEX users_username_idx;
-- A dropped key over more columns says nothing about the slug alone: still reported.
DROP INDEX teams_slug_name_idx;
