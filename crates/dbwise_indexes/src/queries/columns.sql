-- The columns of one table ($1 its oid) with their planner statistics, and whether a btree can
-- index them (a default btree operator class for the type, its domain base type, text for
-- varchar, anyarray or anyenum).
SELECT a.attname AS name, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
       t.typlen::int4 AS len, t.typalign::text AS align,
       s.avg_width::int4 AS avg_width, s.null_frac::float8 AS null_frac,
       s.n_distinct::float8 AS n_distinct,
       s.most_common_vals::text::text[] AS common_values,
       s.most_common_freqs::float8[] AS common_freqs,
       EXISTS (
           SELECT 1 FROM pg_catalog.pg_opclass oc
           JOIN pg_catalog.pg_am am ON am.oid = oc.opcmethod
           WHERE am.amname = 'btree' AND oc.opcdefault
             AND (oc.opcintype IN (a.atttypid, t.typbasetype)
                  OR (a.atttypid = 'pg_catalog.varchar'::pg_catalog.regtype
                      AND oc.opcintype = 'pg_catalog.text'::pg_catalog.regtype)
                  OR (t.typcategory = 'A' AND oc.opcintype = 'pg_catalog.anyarray'::pg_catalog.regtype)
                  OR (t.typtype = 'e' AND oc.opcintype = 'pg_catalog.anyenum'::pg_catalog.regtype))
       ) AS btree
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_stats s
       ON s.schemaname = n.nspname AND s.tablename = c.relname AND s.attname = a.attname
      AND NOT s.inherited
WHERE a.attrelid = $1::int8::oid AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum
