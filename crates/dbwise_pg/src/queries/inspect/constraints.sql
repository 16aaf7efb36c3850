-- Primary keys, unique, exclusion, check and foreign key constraints declared on the tables
-- tables.sql reads (not those a partition or child inherits), keys first so that the foreign
-- keys that reference them come after.
SELECT format('ALTER TABLE ONLY %I.%I ADD CONSTRAINT %I %s', n.nspname, c.relname, k.conname,
              pg_get_constraintdef(k.oid)) AS ddl,
       n.nspname || '.' || c.relname || '.' || k.conname AS object
FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE k.contype IN ('p', 'u', 'x', 'c', 'f')
  AND c.relkind IN ('r', 'p')
  AND c.relpersistence <> 't'
  AND k.conislocal
  AND k.conparentid = 0
  AND n.nspname <> 'information_schema'
  AND n.nspname !~ '^pg_'
ORDER BY k.contype = 'f', n.nspname, c.relname, k.conname
