-- expect: none
-- dbwise-ignore-file psql-meta-command
\set ON_ERROR_STOP 1
CREATE TABLE t (id bigint);
