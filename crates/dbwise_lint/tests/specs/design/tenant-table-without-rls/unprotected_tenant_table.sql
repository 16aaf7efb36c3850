-- expect: tenant-table-without-rls x2
CREATE TABLE projects (id bigint PRIMARY KEY, tenant_id bigint NOT NULL);
ALTER TABLE projects ENABLE ROW LEVEL SECURITY;
CREATE POLICY projects_tenant ON projects USING (tenant_id = current_setting('app.tenant_id')::bigint);
CREATE TABLE invoices (id bigint PRIMARY KEY, tenant_id bigint NOT NULL);
CREATE TABLE "Document" (id text PRIMARY KEY, "organizationId" text NOT NULL);
