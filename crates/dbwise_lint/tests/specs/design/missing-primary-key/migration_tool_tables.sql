-- expect: none
-- Tables a migration tool keeps for itself, created by hand in a schema file: one row each,
-- read only by the tool.
CREATE TABLE alembic_version (version_num varchar(32) NOT NULL);
CREATE TABLE goose_db_version (version_id bigint NOT NULL, is_applied boolean NOT NULL);
CREATE TABLE schema_migrations (version varchar(255) NOT NULL);
