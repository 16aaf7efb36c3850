-- The columns of every table tables.sql reads, in order: type, default or generation
-- expression, NOT NULL and identity. Which ones are generated comes from generated.sql.
SELECT a.attrelid AS table_oid,
       a.attnum,
       quote_ident(a.attname) AS name,
       a.attname::text AS plain,
       format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull AS not_null,
       pg_get_expr(d.adbin, d.adrelid) AS default_expr,
       a.attidentity::text AS identity
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE c.relkind IN ('r', 'p')
  AND c.relpersistence <> 't'
  AND a.attnum > 0
  AND NOT a.attisdropped
  AND n.nspname <> 'information_schema'
  AND n.nspname !~ '^pg_'
ORDER BY a.attrelid, a.attnum
