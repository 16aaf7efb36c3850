-- expect: foreign-key-without-index x2
-- A tenant's settings, webhooks and API keys are bounded by the number of tenants: their keys
-- are not reported. The webhook deliveries grow with use although "webhook" is in the name,
-- and the orders are not small: both keys are reported.
CREATE TABLE tenants (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE customers (id bigint PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES tenants (id));
CREATE INDEX customers_tenant_idx ON customers (tenant_id);
CREATE TABLE tenant_settings (id bigint PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES tenants (id), value jsonb);
CREATE TABLE webhooks (id bigint PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES tenants (id), url text NOT NULL);
CREATE TABLE "TenantApiKey" (id bigint PRIMARY KEY, "tenantId" bigint NOT NULL REFERENCES tenants (id));
CREATE TABLE webhook_deliveries (id bigint PRIMARY KEY, webhook_id bigint NOT NULL REFERENCES webhooks (id));
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id));
CREATE TABLE order_lines (id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders (id));
CREATE INDEX order_lines_order_idx ON order_lines (order_id);
CREATE TABLE invoices (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id));
CREATE INDEX invoices_customer_idx ON invoices (customer_id);
CREATE TABLE payments (id bigint PRIMARY KEY, invoice_id bigint NOT NULL REFERENCES invoices (id));
CREATE INDEX payments_invoice_idx ON payments (invoice_id);
