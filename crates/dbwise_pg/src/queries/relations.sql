-- Every user relation with its storage, the table of an index, and its sequential-scan counter.
-- $1 picks the counter: true for the current transaction's (pg_stat_get_xact_numscans), false
-- for the cumulative one.
SELECT c.oid,
       CASE WHEN n.nspname = 'public' THEN c.relname::text ELSE n.nspname || '.' || c.relname END AS name,
       c.relname::text AS relname,
       c.relkind::text AS relkind,
       c.relfilenode,
       COALESCE(i.indrelid, 0::oid) AS owner,
       CASE WHEN $1 THEN pg_stat_get_xact_numscans(c.oid) ELSE pg_stat_get_numscans(c.oid) END AS scans,
       n.nspname::text AS schema
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_index i ON i.indexrelid = c.oid
WHERE n.nspname <> 'information_schema'
  AND n.nspname !~ '^pg_(catalog|toast)'
