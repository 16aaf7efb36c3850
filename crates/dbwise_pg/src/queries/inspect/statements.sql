-- The statements pg_stat_statements holds for this database, the heaviest by total time (the
-- sum of planning and execution from PostgreSQL 13 on, total_time before) up to dbwise's
-- limit, as the CSV of an export (`\copy ... CSV HEADER`), with the role and database as
-- names. dbwise fills in the extension's schema, the total time and the limit between braces.
-- COPY TO STDOUT writes nothing on the server and runs in a read-only transaction.
COPY (
    SELECT r.rolname, d.datname, s.*
    FROM {schema}.pg_stat_statements s
    JOIN pg_catalog.pg_database d ON d.oid = s.dbid
    LEFT JOIN pg_catalog.pg_roles r ON r.oid = s.userid
    WHERE d.datname = pg_catalog.current_database()
    ORDER BY {total} DESC, s.userid, s.queryid
    LIMIT {limit}
) TO STDOUT WITH (FORMAT csv, HEADER)
