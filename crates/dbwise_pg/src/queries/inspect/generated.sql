-- The generated columns (pg_attribute.attgenerated, from PostgreSQL 12 on: the caller runs
-- this only there): 's' for a stored column, 'v' for a virtual one (PostgreSQL 18).
SELECT a.attrelid AS table_oid,
       a.attnum,
       a.attgenerated::text AS generated
FROM pg_attribute a
WHERE a.attgenerated <> ''
  AND a.attnum > 0
  AND NOT a.attisdropped
