-- Every index of a user table or materialized view: its definition, whether a constraint
-- made it or it is a partition's part of a partitioned index (both are declared elsewhere),
-- validity, size and scans since the statistics were reset. The definition (pg_get_indexdef,
-- the costly part on a large schema) is read only where it is used: for the indexes no
-- constraint declares, and the invalid ones, whose rebuild it is.
SELECT format('%I.%I', n.nspname, ic.relname) AS qualified,
       n.nspname::text AS schema,
       tc.relname::text AS table_name,
       ic.relname::text AS name,
       CASE WHEN k.conindid IS NULL OR NOT i.indisvalid
            THEN pg_get_indexdef(i.indexrelid) END AS definition,
       i.indisunique AS is_unique,
       i.indisprimary AS is_primary,
       i.indisvalid AS valid,
       k.conindid IS NOT NULL AS by_constraint,
       ic.relispartition AS partition_part,
       ic.relpages::bigint * current_setting('block_size')::bigint AS bytes,
       COALESCE(s.idx_scan, 0) AS scans
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class tc ON tc.oid = i.indrelid
JOIN pg_namespace n ON n.oid = tc.relnamespace
LEFT JOIN pg_stat_user_indexes s ON s.indexrelid = i.indexrelid
-- pg_constraint has no index on conindid: the constraints' indexes are gathered once.
LEFT JOIN (SELECT DISTINCT conindid FROM pg_constraint WHERE contype IN ('p', 'u', 'x')) k
       ON k.conindid = i.indexrelid
WHERE tc.relkind IN ('r', 'p', 'm')
  AND tc.relpersistence <> 't'
  AND n.nspname <> 'information_schema'
  AND n.nspname !~ '^pg_'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = tc.oid AND d.deptype = 'e')
ORDER BY n.nspname, ic.relname
