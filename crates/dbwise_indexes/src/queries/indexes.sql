-- The indexes of one table ($1 its oid): each key and INCLUDE column as PostgreSQL prints it,
-- the predicate, whether a constraint or a foreign key needs it, its size and how often scans
-- used it since the statistics were reset.
SELECT n.nspname AS schema, ci.relname AS name, am.amname AS method,
       i.indisprimary AS primary, i.indisunique AS unique, i.indisvalid AS valid,
       EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k
               WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x')) AS constraint_backed,
       i.indnkeyatts::int4 AS key_count,
       ARRAY(SELECT pg_catalog.pg_get_indexdef(i.indexrelid, k, true)
             FROM pg_catalog.generate_series(1, i.indnatts) k) AS columns,
       pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
       i.indkey::int2[]::int4[] AS attnums,
       ARRAY(SELECT k.conkey::int4[]::text FROM pg_catalog.pg_constraint k
             WHERE k.conrelid = i.indrelid AND k.contype = 'f') AS foreign_keys,
       pg_catalog.pg_relation_size(i.indexrelid)::int8 AS bytes,
       coalesce(s.idx_scan, 0)::int8 AS scans,
       (SELECT d.stats_reset::text FROM pg_catalog.pg_stat_database d
        WHERE d.datname = pg_catalog.current_database()) AS stats_reset
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ci ON ci.oid = i.indexrelid
JOIN pg_catalog.pg_namespace n ON n.oid = ci.relnamespace
JOIN pg_catalog.pg_am am ON am.oid = ci.relam
LEFT JOIN pg_catalog.pg_stat_user_indexes s ON s.indexrelid = i.indexrelid
WHERE i.indrelid = $1::int8::oid
ORDER BY ci.relname
