-- Ordinary and partitioned tables with what their CREATE TABLE needs besides the columns
-- (partitioning, inheritance, row-level security), and their size and activity: the planner's
-- row estimate, the main fork's size, the size the rows would take packed at the fill factor
-- (from the columns' average widths in pg_stats, NULL without statistics), the statistics
-- counters and the transaction-id age.
SELECT c.oid,
       format('%I.%I', n.nspname, c.relname) AS qualified,
       n.nspname::text AS schema,
       c.relname::text AS name,
       c.relkind = 'p' AS partitioned,
       c.relrowsecurity AS rls,
       c.relforcerowsecurity AS force_rls,
       (SELECT format('%I.%I', pn.nspname, p.relname)
        FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
        JOIN pg_namespace pn ON pn.oid = p.relnamespace
        WHERE i.inhrelid = c.oid AND c.relispartition) AS partition_of,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS bound,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_key,
       (SELECT string_agg(format('%I.%I', pn.nspname, p.relname), ', ' ORDER BY i.inhseqno)
        FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
        JOIN pg_namespace pn ON pn.oid = p.relnamespace
        WHERE i.inhrelid = c.oid AND NOT c.relispartition) AS inherits,
       CASE WHEN c.reltuples >= 0 AND (c.relpages > 0 OR c.reltuples > 0)
            THEN c.reltuples::bigint END AS rows,
       c.relpages::bigint * current_setting('block_size')::bigint AS bytes,
       CASE WHEN c.reltuples > 0 THEN
           ceil(c.reltuples * (24 + 4 + w.width)
                / (current_setting('block_size')::float8
                   * COALESCE((SELECT substring(o FROM 'fillfactor=(\d+)')::float8
                               FROM unnest(c.reloptions) o WHERE o LIKE 'fillfactor=%'), 100) / 100
                   - 24))::bigint * current_setting('block_size')::bigint
       END AS expected_bytes,
       COALESCE(s.n_live_tup, 0) AS live_tuples,
       COALESCE(s.n_dead_tup, 0) AS dead_tuples,
       COALESCE(s.n_tup_ins + s.n_tup_upd + s.n_tup_del, 0) AS writes,
       COALESCE(s.n_tup_ins, 0) AS inserts,
       COALESCE(s.seq_scan, 0) AS seq_scans,
       COALESCE(s.seq_tup_read, 0) AS seq_tuples_read,
       COALESCE(s.idx_scan, 0) AS index_scans,
       extract(epoch FROM now() - GREATEST(s.last_vacuum, s.last_autovacuum))::float8 AS vacuum_age,
       CASE WHEN c.relkind = 'r' THEN age(c.relfrozenxid)::bigint ELSE 0 END AS xid_age
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
-- The average width of a row, from the columns' statistics, read once for every table.
LEFT JOIN (SELECT schemaname, tablename, sum(avg_width) AS width
           FROM pg_stats GROUP BY schemaname, tablename) w
       ON w.schemaname = n.nspname AND w.tablename = c.relname
WHERE c.relkind IN ('r', 'p')
  AND c.relpersistence <> 't'
  AND n.nspname <> 'information_schema'
  AND n.nspname !~ '^pg_'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY n.nspname, c.relname
