-- expect: redundant-index x2
-- rows: notes=100000
-- A model mixin gave five tables an index on the tenant column beside a wider one that starts
-- with it: one finding for the five. A prefix on another column, in one table, stays a
-- finding of its own.
CREATE TABLE invoices (id bigint PRIMARY KEY, namespace text NOT NULL, created_at timestamptz);
CREATE INDEX invoice_namespace ON invoices (namespace);
CREATE INDEX invoice_namespace_created ON invoices (namespace, created_at);
CREATE TABLE customers (id bigint PRIMARY KEY, namespace text NOT NULL, name text);
CREATE INDEX customer_namespace ON customers (namespace);
CREATE INDEX customer_namespace_name ON customers (namespace, name);
CREATE TABLE plans (id bigint PRIMARY KEY, namespace text NOT NULL, key text);
CREATE INDEX plan_namespace ON plans (namespace);
CREATE UNIQUE INDEX plan_namespace_key ON plans (namespace, key);
CREATE TABLE meters (id bigint PRIMARY KEY, namespace text NOT NULL, slug text);
CREATE INDEX meter_namespace ON meters (namespace);
CREATE INDEX meter_namespace_slug ON meters (namespace, slug);
CREATE TABLE grants (id bigint PRIMARY KEY, namespace text NOT NULL, owner_id bigint);
CREATE INDEX grant_namespace ON grants (namespace);
CREATE INDEX grant_namespace_owner ON grants (namespace, owner_id);
CREATE TABLE notes (id bigint PRIMARY KEY, author_id bigint, created_at timestamptz);
CREATE INDEX note_author ON notes (author_id);
CREATE INDEX note_author_created ON notes (author_id, created_at);
