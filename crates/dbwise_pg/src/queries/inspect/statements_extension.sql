-- The schema pg_stat_statements is installed in, quoted, when it is installed in this database.
SELECT pg_catalog.quote_ident(n.nspname) AS schema
FROM pg_catalog.pg_extension e
JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname = 'pg_stat_statements'
