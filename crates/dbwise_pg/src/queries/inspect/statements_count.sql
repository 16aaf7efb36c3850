-- How many statements pg_stat_statements holds for this database (dbwise fills in the
-- extension's schema).
SELECT count(*) AS statements
FROM {schema}.pg_stat_statements s
JOIN pg_catalog.pg_database d ON d.oid = s.dbid
WHERE d.datname = pg_catalog.current_database()
