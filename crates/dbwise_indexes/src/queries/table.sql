-- One table found by name as the search path resolves it ($1), with its size and statistics.
SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name,
       greatest(c.reltuples, 0)::float8 AS tuples, c.relpages::int8 AS pages,
       coalesce((SELECT option_value::int4 FROM pg_catalog.pg_options_to_table(c.reloptions)
                 WHERE option_name = 'fillfactor'), 100) AS fillfactor
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid = pg_catalog.to_regclass($1) AND c.relkind IN ('r', 'p', 'm')
