-- Functions and procedures as CREATE statements (with SECURITY DEFINER and SET search_path
-- when they have them), and row-level security policies.
SELECT rtrim(pg_get_functiondef(p.oid)) AS ddl,
       n.nspname || '.' || p.proname AS object
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE p.prokind IN ('f', 'p')
  AND n.nspname <> 'information_schema'
  AND n.nspname !~ '^pg_'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
UNION ALL
SELECT format('CREATE POLICY %I ON %I.%I AS %s FOR %s TO %s%s%s', pol.policyname,
              pol.schemaname, pol.tablename, pol.permissive, pol.cmd,
              (SELECT string_agg(CASE WHEN r = 'public' THEN 'PUBLIC' ELSE quote_ident(r) END, ', ')
               FROM unnest(pol.roles) r),
              ' USING (' || pol.qual || ')',
              ' WITH CHECK (' || pol.with_check || ')'),
       pol.schemaname || '.' || pol.tablename || '.' || pol.policyname
FROM pg_policies pol
ORDER BY 2
