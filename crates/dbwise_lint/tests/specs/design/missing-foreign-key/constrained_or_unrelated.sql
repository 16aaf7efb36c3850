-- expect: none
CREATE TABLE customers (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id));
-- Added by a later migration.
CREATE TABLE invoices (id bigint PRIMARY KEY, customer_id bigint NOT NULL);
ALTER TABLE invoices ADD CONSTRAINT invoices_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);
-- Different type: another identifier, not a reference.
CREATE TABLE imports (id bigint PRIMARY KEY, customer_id uuid);
-- A polymorphic pair, a history table, no matching table, the table's own key.
CREATE TABLE notes (id bigint PRIMARY KEY, customer_type text, customer_id bigint, parent_id bigint);
CREATE TABLE customer_audit_log (id bigint PRIMARY KEY, customer_id bigint);
CREATE TABLE customer (customer_id bigint PRIMARY KEY);
-- No foreign key references tags anywhere: the schema keeps these references loose.
CREATE TABLE tags (id bigint PRIMARY KEY);
CREATE TABLE posts (id bigint PRIMARY KEY, tag_id bigint);
-- A partitioned table's columns.
CREATE TABLE events (id bigint, customer_id bigint, at timestamptz) PARTITION BY RANGE (at);
-- Most references to accounts are loose: a policy of the schema, not an exception.
CREATE TABLE accounts (id bigint PRIMARY KEY);
CREATE TABLE sessions (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts (id));
CREATE TABLE events_log_entries (id bigint PRIMARY KEY, account_id bigint);
CREATE TABLE metrics (id bigint PRIMARY KEY, account_id bigint);
-- The history dropped this key on purpose (write throughput on a hot table), where the
-- schema declares its other references to vendors.
CREATE TABLE vendors (id bigint PRIMARY KEY);
CREATE TABLE bills (id bigint PRIMARY KEY, vendor_id bigint REFERENCES vendors (id));
CREATE TABLE contracts (id bigint PRIMARY KEY, vendor_id bigint REFERENCES vendors (id));
CREATE TABLE deliveries (id bigint PRIMARY KEY, vendor_id bigint NOT NULL REFERENCES vendors (id));
ALTER TABLE deliveries DROP CONSTRAINT deliveries_vendor_id_fkey;
-- Three declared references to warehouses and one the history dropped: with the dropped key,
-- the loose ones are as many as the declared ones, so the project leaves them undeclared.
CREATE TABLE warehouses (id bigint PRIMARY KEY);
CREATE TABLE shelves (id bigint PRIMARY KEY, warehouse_id bigint REFERENCES warehouses (id));
CREATE TABLE docks (id bigint PRIMARY KEY, warehouse_id bigint REFERENCES warehouses (id));
CREATE TABLE bays (id bigint PRIMARY KEY, warehouse_id bigint REFERENCES warehouses (id));
CREATE TABLE pallets (id bigint PRIMARY KEY, warehouse_id bigint REFERENCES warehouses (id));
ALTER TABLE pallets DROP CONSTRAINT pallets_warehouse_id_fkey;
CREATE TABLE scans (id bigint PRIMARY KEY, warehouse_id bigint);
CREATE TABLE racks (id bigint PRIMARY KEY, warehouse_id bigint);
-- A tombstone outlives the row it names.
CREATE TABLE members (id bigint PRIMARY KEY);
CREATE TABLE memberships (id bigint PRIMARY KEY, member_id bigint REFERENCES members (id));
CREATE TABLE badges (id bigint PRIMARY KEY, member_id bigint REFERENCES members (id));
CREATE TABLE member_tombstones (id bigint PRIMARY KEY, member_id bigint);
