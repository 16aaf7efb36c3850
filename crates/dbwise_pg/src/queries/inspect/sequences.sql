-- Sequences with their range, how far they have gone, and the column they feed (the owner
-- column of a serial, or an identity column) with the largest value that column's integer type
-- holds. Identity sequences are declared by their column, so they get no DDL of their own.
-- last_value is NULL for a sequence never used, or one the role may not read (readable says
-- which). It is read (which opens each sequence) only for those that can reach the end within
-- 2^31 values: of a smaller type or maximum, or feeding a smaller column. A bigint sequence
-- feeding a bigint column has 9.2e18 values. The catalogs are read directly: the pg_sequences
-- view is several times slower on a large schema.
SELECT format('%I.%I', n.nspname, c.relname) AS qualified,
       n.nspname::text AS schema,
       c.relname::text AS name,
       format_type(s.seqtypid, NULL) AS data_type,
       s.seqstart AS start_value, s.seqmin AS min_value, s.seqmax AS max_value,
       s.seqincrement AS increment_by, s.seqcycle AS cycle,
       CASE WHEN (s.seqmax <= 2147483647 OR a.atttypid IN ('int2'::regtype, 'int4'::regtype))
                 AND has_sequence_privilege(c.oid, 'SELECT,USAGE')
            THEN pg_sequence_last_value(c.oid) END AS last_value,
       has_sequence_privilege(c.oid, 'SELECT') AS readable,
       owner.deptype::text AS dependency,
       CASE WHEN tc.oid IS NOT NULL THEN format('%I.%I', tn.nspname, tc.relname) END AS owner_table,
       quote_ident(a.attname) AS owner_column,
       tn.nspname::text AS owner_schema,
       tc.relname::text AS owner_table_name,
       a.attname::text AS owner_column_name,
       format_type(a.atttypid, NULL) AS column_type,
       CASE a.atttypid
           WHEN 'int2'::regtype THEN 32767
           WHEN 'int4'::regtype THEN 2147483647
       END::bigint AS column_max
FROM pg_sequence s
JOIN pg_class c ON c.oid = s.seqrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_depend owner ON owner.classid = 'pg_class'::regclass AND owner.objid = c.oid
                         AND owner.refclassid = 'pg_class'::regclass AND owner.deptype IN ('a', 'i')
LEFT JOIN pg_class tc ON tc.oid = owner.refobjid
LEFT JOIN pg_namespace tn ON tn.oid = tc.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = owner.refobjid AND a.attnum = owner.refobjsubid
WHERE n.nspname <> 'information_schema'
  AND n.nspname !~ '^pg_'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1
