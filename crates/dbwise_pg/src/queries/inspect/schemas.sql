-- The schemas and extensions of the database, besides the system's: the DDL that declares
-- them. Objects an extension owns are left out here and in every other schema query.
SELECT format('CREATE SCHEMA %I', n.nspname) AS ddl, n.nspname::text AS object
FROM pg_namespace n
WHERE n.nspname <> 'information_schema'
  AND n.nspname !~ '^pg_'
  AND n.nspname <> 'public'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')
UNION ALL
SELECT format('CREATE EXTENSION %I WITH SCHEMA %I', e.extname, n.nspname), e.extname::text
FROM pg_extension e
JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname <> 'plpgsql'
ORDER BY 2
