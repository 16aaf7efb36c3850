-- Sequences with their range, how far they have gone, and the column they feed (the owner
-- column of a serial, or an identity column) with the largest value that column's integer type
-- holds. Identity sequences are declared by their column, so they get no DDL of their own.
-- last_value is NULL for a sequence never used, or one the role may not read (readable says
-- which). It is read (which opens each sequence) only for those that can reach the end within
-- 2^31 values: of a smaller type or maximum, or feeding a smaller column. A bigint sequence
-- feeding a bigint column has 9.2e18 values.
SELECT format('%I.%I', s.schemaname, s.sequencename) AS qualified,
       s.schemaname::text AS schema,
       s.sequencename::text AS name,
       format_type(s.data_type, NULL) AS data_type,
       s.start_value, s.min_value, s.max_value, s.increment_by, s.cycle,
       CASE WHEN s.max_value <= 2147483647 OR a.atttypid IN ('int2'::regtype, 'int4'::regtype)
            THEN s.last_value END AS last_value,
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
FROM pg_sequences s
JOIN pg_namespace n ON n.nspname = s.schemaname
JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = s.sequencename
LEFT JOIN pg_depend owner ON owner.classid = 'pg_class'::regclass AND owner.objid = c.oid
                         AND owner.refclassid = 'pg_class'::regclass AND owner.deptype IN ('a', 'i')
LEFT JOIN pg_class tc ON tc.oid = owner.refobjid
LEFT JOIN pg_namespace tn ON tn.oid = tc.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = owner.refobjid AND a.attnum = owner.refobjsubid
WHERE s.schemaname <> 'information_schema'
  AND s.schemaname !~ '^pg_'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1
