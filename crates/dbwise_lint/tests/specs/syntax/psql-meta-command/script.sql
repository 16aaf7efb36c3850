-- expect: psql-meta-command x1
\set ON_ERROR_STOP 1
BEGIN;
CREATE TABLE t (id bigint);
\i other.sql
COMMIT;
