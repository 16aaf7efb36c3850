-- Ordinary and partitioned tables with what their CREATE TABLE needs besides the columns
-- (partitioning, inheritance, row-level security), and their size and activity: the planner's
-- row estimate, the main fork's size, the size the rows would take packed at the fill factor
-- (from the columns' average widths in pg_stats, NULL without statistics), the statistics
-- counters and the transaction-id age. The counters come from the pg_stat_get_* functions
-- pg_stat_user_tables is made of, called on the table's oid: the view itself joins pg_class
-- and pg_index again and groups every index, which is slow on a large schema.
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
       pg_stat_get_live_tuples(c.oid) AS live_tuples,
       pg_stat_get_dead_tuples(c.oid) AS dead_tuples,
       pg_stat_get_tuples_inserted(c.oid) + pg_stat_get_tuples_updated(c.oid)
         + pg_stat_get_tuples_deleted(c.oid) AS writes,
       pg_stat_get_tuples_inserted(c.oid) AS inserts,
       pg_stat_get_numscans(c.oid) AS seq_scans,
       pg_stat_get_tuples_returned(c.oid) AS seq_tuples_read,
       COALESCE((SELECT sum(pg_stat_get_numscans(x.indexrelid))
                 FROM pg_index x WHERE x.indrelid = c.oid), 0)::bigint AS index_scans,
       extract(epoch FROM now() - GREATEST(pg_stat_get_last_vacuum_time(c.oid),
                                           pg_stat_get_last_autovacuum_time(c.oid)))::float8 AS vacuum_age,
       CASE WHEN c.relkind = 'r' THEN age(c.relfrozenxid)::bigint ELSE 0 END AS xid_age
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
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
