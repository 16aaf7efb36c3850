-- expect: drop-table x1
-- file: 001_create.sql
CREATE TABLE collabs (id bigint PRIMARY KEY, body text);
CREATE TABLE daily_counts (day date PRIMARY KEY, n bigint);
CREATE TABLE audit_log (id bigint PRIMARY KEY);
-- file: 002_rebuild.sql
-- transaction: wrapped
-- A copy is filled, the old table dropped and the copy renamed to its name: code that uses
-- collabs finds a table once the migration commits.
CREATE TABLE collabs_next (id bigint PRIMARY KEY, body text NOT NULL);
INSERT INTO collabs_next SELECT id, coalesce(body, '') FROM collabs;
DROP TABLE collabs;
ALTER TABLE collabs_next RENAME TO collabs;
-- A rollup dropped and created anew under the same name.
DROP TABLE daily_counts;
CREATE TABLE daily_counts (day date NOT NULL, project_id bigint NOT NULL, n bigint NOT NULL);
-- A drop with no table taking the name again is still reported.
DROP TABLE audit_log;
