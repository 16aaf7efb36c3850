-- expect: backfill-in-ddl-transaction x1
-- rows: documents=100000, teams=100000
-- file: 001_create.sql
CREATE TABLE teams (id bigint PRIMARY KEY);
CREATE TABLE documents (id bigint PRIMARY KEY, owner_id bigint);
-- file: 002_change.sql
-- transaction: wrapped
-- Both tables are held ACCESS EXCLUSIVE; the finding names the one the UPDATE changes.
ALTER TABLE documents ADD COLUMN team_id bigint;
ALTER TABLE teams ADD COLUMN personal boolean;
UPDATE documents SET team_id = owner_id;
