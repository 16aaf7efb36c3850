-- Every index of a user table or materialized view: its definition, whether a constraint
-- made it or it is a partition's part of a partitioned index (both are declared elsewhere),
-- validity, size and scans since the statistics were reset, and for a B-tree on plain columns
-- the size its entries would take packed at its fill factor: the index's row estimate times
-- an entry (8 bytes of header and the columns' average widths from pg_stats, aligned to 8,
-- and a 4-byte line pointer), over the usable part of a page, plus the metapage; NULL without
-- statistics for every column. Deduplication (PostgreSQL 13 on) only makes the index smaller.
--
-- The definition is read only where it is used: for the indexes no constraint declares, and
-- the invalid ones, whose rebuild it is. pg_get_indexdef is the costly part on a large schema
-- (for each column it scans the access method's operator classes for the default one), so
-- the common index, non-unique on plain columns with default operator classes, collations and
-- order and no storage options, is written here from pg_index instead, in the same words
-- pg_get_indexdef uses (a test compares the two); every other index comes from
-- pg_get_indexdef. The scans come from pg_stat_get_numscans, which pg_stat_user_indexes calls
-- after joining the catalogs again. The caller sorts the rows: sorting them here spills to
-- disk on a large schema.
SELECT format('%I.%I', n.nspname, ic.relname) AS qualified,
       n.nspname::text AS schema,
       tc.relname::text AS table_name,
       ic.relname::text AS name,
       CASE WHEN k.conindid IS NOT NULL AND i.indisvalid THEN NULL
            WHEN plain.keys IS NOT NULL
            THEN format('CREATE INDEX %I ON %I.%I USING %I (%s)', ic.relname, n.nspname,
                        tc.relname, am.amname, plain.keys)
                 || COALESCE(' INCLUDE (' || plain.included || ')', '')
                 || COALESCE(' WHERE ' || pg_get_expr(i.indpred, i.indrelid), '')
            ELSE pg_get_indexdef(i.indexrelid) END AS definition,
       i.indisunique AS is_unique,
       i.indisprimary AS is_primary,
       i.indisvalid AS valid,
       k.conindid IS NOT NULL AS by_constraint,
       ic.relispartition AS partition_part,
       ic.relpages::bigint * current_setting('block_size')::bigint AS bytes,
       CASE WHEN w.columns = i.indnatts THEN
           (ceil(ic.reltuples * (ceil((8 + w.width) / 8.0) * 8 + 4)
                 / ((current_setting('block_size')::float8 - 40)
                    * COALESCE((SELECT substring(o FROM 'fillfactor=(\d+)')::float8
                                FROM unnest(ic.reloptions) o WHERE o LIKE 'fillfactor=%'), 90) / 100))
            + 1)::bigint * current_setting('block_size')::bigint
       END AS expected_bytes,
       pg_stat_get_numscans(i.indexrelid) AS scans
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam
JOIN pg_class tc ON tc.oid = i.indrelid
JOIN pg_namespace n ON n.oid = tc.relnamespace
-- pg_constraint has no index on conindid: the constraints' indexes are gathered once.
LEFT JOIN (SELECT DISTINCT conindid FROM pg_constraint WHERE contype IN ('p', 'u', 'x')) k
       ON k.conindid = i.indexrelid
-- The key and included columns of a plain index, when every key column has its type's
-- default operator class, its own collation and the default order (no row otherwise).
LEFT JOIN LATERAL (
    SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY c.n)
             FILTER (WHERE c.n <= i.indnkeyatts) AS keys,
           string_agg(quote_ident(a.attname), ', ' ORDER BY c.n)
             FILTER (WHERE c.n > i.indnkeyatts) AS included
    FROM unnest(i.indkey::int2[], i.indclass::oid[], i.indcollation::oid[], i.indoption::int2[])
           WITH ORDINALITY AS c(attnum, opclass, coll, option, n)
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = c.attnum
    LEFT JOIN pg_opclass o ON o.oid = c.opclass
    WHERE NOT i.indisunique AND ic.relkind = 'i' AND i.indexprs IS NULL
      AND ic.reloptions IS NULL
    HAVING count(*) = i.indnatts
       AND bool_and(c.n > i.indnkeyatts
                    OR (o.opcdefault AND o.opcintype = a.atttypid AND c.option = 0
                        AND c.coll = a.attcollation))
) plain ON true
-- The average widths of the table's columns, from pg_stats (which shows only the columns the
-- role may read), read once for every table as tables.sql does; then those of the index's key
-- and included columns, for a B-tree on plain columns.
LEFT JOIN (SELECT schemaname, tablename, jsonb_object_agg(attname, avg_width) AS widths
           FROM pg_stats WHERE NOT inherited GROUP BY schemaname, tablename) tw
       ON tw.schemaname = n.nspname AND tw.tablename = tc.relname
LEFT JOIN LATERAL (
    SELECT sum((tw.widths ->> a.attname::text)::int) AS width,
           count(tw.widths ->> a.attname::text) AS columns
    FROM unnest(i.indkey::int2[]) AS k(attnum)
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
    WHERE am.amname = 'btree' AND i.indexprs IS NULL AND ic.reltuples > 0
      AND tw.widths IS NOT NULL
) w ON true
WHERE tc.relkind IN ('r', 'p', 'm')
  AND tc.relpersistence <> 't'
  AND n.nspname <> 'information_schema'
  AND n.nspname !~ '^pg_'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = tc.oid AND d.deptype = 'e')
