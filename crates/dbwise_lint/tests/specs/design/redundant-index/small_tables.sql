-- expect: redundant-index x1
-- A left prefix on a tenant's settings table costs next to nothing and is not reported, nor is
-- an exact duplicate on the API keys, another table that stays small; the same prefix on the
-- webhook deliveries, which grow with use, is.
CREATE TABLE tenant_settings (tenant_id bigint NOT NULL, key text NOT NULL, value jsonb);
CREATE INDEX tenant_settings_tenant_idx ON tenant_settings (tenant_id);
CREATE UNIQUE INDEX tenant_settings_key ON tenant_settings (tenant_id, key);
CREATE TABLE webhook_deliveries (id bigint PRIMARY KEY, webhook_id bigint NOT NULL, created_at timestamptz NOT NULL);
CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id);
CREATE INDEX webhook_deliveries_webhook_created_idx ON webhook_deliveries (webhook_id, created_at);
CREATE TABLE api_keys (id bigint PRIMARY KEY, prefix text NOT NULL);
CREATE INDEX api_keys_prefix_idx ON api_keys (prefix);
CREATE INDEX api_keys_prefix_again_idx ON api_keys (prefix);
