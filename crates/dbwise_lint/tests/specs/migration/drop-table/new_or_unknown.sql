-- expect: none
-- file: 001_create.sql
CREATE TABLE staging (id bigint);
DROP TABLE staging;
-- file: 002_cleanup.sql
-- Not a table of this history: a clean-up of something created elsewhere.
DROP TABLE IF EXISTS tmp_import;
