-- expect: reindex-non-concurrently x2
-- rows: local_user=100000
-- file: 001_create.sql
CREATE TABLE local_user (id bigint PRIMARY KEY, name varchar(20), bio text);
CREATE INDEX local_user_name_idx ON local_user (name);
-- file: 002_change.sql
-- transaction: wrapped
-- Neither sub-command rewrites the table (a constant default, a wider varchar): the indexes
-- are not built again.
ALTER TABLE local_user
    ADD COLUMN shown boolean NOT NULL DEFAULT true,
    ALTER COLUMN name TYPE varchar(40);
REINDEX TABLE local_user;
-- file: 003_rewrite.sql
-- transaction: wrapped
ALTER TABLE local_user ALTER COLUMN bio TYPE varchar(200) USING substring(bio FOR 200);
-- file: 004_reindex.sql
-- transaction: wrapped
-- The rewrite committed in an earlier migration: the rows written since are in this index.
REINDEX INDEX local_user_name_idx;
