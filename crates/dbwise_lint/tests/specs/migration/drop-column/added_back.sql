-- expect: drop-column x1
-- file: 001_create.sql
CREATE TABLE runs (id bigint PRIMARY KEY, root_id varchar(255), parent_id varchar(255), note text);
-- file: 002_reset.sql
-- Both columns are dropped and added back with a new definition: queries that name them keep
-- working. The note is dropped for good and reported.
ALTER TABLE runs DROP COLUMN root_id;
ALTER TABLE runs DROP COLUMN parent_id, ADD COLUMN parent_id text NOT NULL DEFAULT '';
ALTER TABLE runs DROP COLUMN note;
ALTER TABLE runs ADD COLUMN root_id text NOT NULL DEFAULT '';
