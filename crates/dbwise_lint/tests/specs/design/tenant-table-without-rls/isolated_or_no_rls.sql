-- expect: none
-- No table uses row-level security: tenant isolation lives in the application.
CREATE TABLE projects (id bigint PRIMARY KEY, tenant_id bigint NOT NULL);
CREATE TABLE invoices (id bigint PRIMARY KEY, tenant_id bigint NOT NULL);
-- RLS on a table without a tenant column does not make the schema tenant-isolated.
CREATE TABLE secrets (id bigint PRIMARY KEY, owner text);
ALTER TABLE secrets ENABLE ROW LEVEL SECURITY;
