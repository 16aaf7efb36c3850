-- Views and materialized views with their defining query.
SELECT format('CREATE %sVIEW %I.%I AS %s',
              CASE WHEN c.relkind = 'm' THEN 'MATERIALIZED ' ELSE '' END,
              n.nspname, c.relname,
              rtrim(rtrim(pg_get_viewdef(c.oid)), ';')) AS ddl,
       n.nspname || '.' || c.relname AS object
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm')
  AND n.nspname <> 'information_schema'
  AND n.nspname !~ '^pg_'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY c.oid
