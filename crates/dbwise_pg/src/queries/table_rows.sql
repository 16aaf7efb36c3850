-- Estimated row count and heap size (pg_table_size: the table with its TOAST, without its
-- indexes) of every ordinary and partitioned table outside the system schemas.
--
-- pg_class.reltuples is the planner's estimate, kept by VACUUM and ANALYZE. It is -1 on
-- PostgreSQL 14 and later, and 0 with relpages 0 before 14, while a table was never vacuumed or
-- analysed; the statistics system's live-tuple count stands in then. A count of 0 there says
-- nothing (statistics may have been reset), so such a table gets no estimate (NULL).
--
-- A partitioned table holds no rows itself: its estimate is the sum of its leaf partitions'
-- (through every level of sub-partitioning), NULL when none of them has one; its size likewise.
WITH RECURSIVE tables AS (
    SELECT c.oid,
           c.relkind,
           n.nspname::text AS schema,
           c.relname::text AS name,
           CASE
               WHEN c.reltuples < 0
                    OR (c.reltuples = 0 AND c.relpages = 0
                        AND current_setting('server_version_num')::int < 140000)
                   THEN NULLIF(s.n_live_tup, 0)
               ELSE c.reltuples::bigint
           END AS estimate,
           pg_table_size(c.oid) AS bytes
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
    WHERE c.relkind IN ('r', 'p')
      AND n.nspname <> 'information_schema'
      AND n.nspname !~ '^pg_'
),
partitions AS (
    SELECT t.oid AS root, t.oid AS member
    FROM tables t
    WHERE t.relkind = 'p'
    UNION ALL
    SELECT p.root, i.inhrelid
    FROM partitions p
    JOIN pg_inherits i ON i.inhparent = p.member
)
SELECT t.schema,
       t.name,
       CASE WHEN t.relkind = 'p' THEN leaves.estimate ELSE t.estimate END AS estimate,
       CASE WHEN t.relkind = 'p' THEN leaves.bytes ELSE t.bytes END AS bytes
FROM tables t
LEFT JOIN LATERAL (
    SELECT sum(leaf.estimate)::bigint AS estimate,
           sum(leaf.bytes)::bigint AS bytes
    FROM partitions p
    JOIN tables leaf ON leaf.oid = p.member AND leaf.relkind = 'r'
    WHERE p.root = t.oid
) AS leaves ON true
ORDER BY t.schema, t.name
