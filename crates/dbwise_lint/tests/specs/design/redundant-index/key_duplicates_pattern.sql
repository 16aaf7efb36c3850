-- expect: redundant-index x2
-- rows: grants=100000
-- Five tables whose generator added a unique index on the key: one finding. A prefix index
-- is still its own finding.
CREATE TABLE plans (id char(26) PRIMARY KEY, namespace text NOT NULL, owner_id text);
CREATE UNIQUE INDEX plan_id ON plans (id);
CREATE TABLE invoices (id char(26) PRIMARY KEY, namespace text NOT NULL, owner_id text);
CREATE UNIQUE INDEX invoice_id ON invoices (id);
CREATE TABLE customers (id char(26) PRIMARY KEY, namespace text NOT NULL, owner_id text);
CREATE UNIQUE INDEX customer_id ON customers (id);
CREATE TABLE apps (id char(26) PRIMARY KEY, namespace text NOT NULL, owner_id text);
CREATE UNIQUE INDEX app_id ON apps (id);
CREATE TABLE grants (id char(26) PRIMARY KEY, namespace text NOT NULL, owner_id text);
CREATE UNIQUE INDEX grant_id ON grants (id);
CREATE INDEX grant_namespace ON grants (namespace);
CREATE INDEX grant_namespace_owner_id ON grants (namespace, owner_id);
