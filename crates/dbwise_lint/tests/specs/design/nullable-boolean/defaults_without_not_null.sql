-- expect: nullable-boolean x3
-- The schema writes flags NOT NULL, so the ones that accept NULL later are slips, one finding
-- per table.
-- file: 001_settings.sql
CREATE TABLE settings (
    id bigint PRIMARY KEY,
    enabled boolean NOT NULL DEFAULT true,
    public boolean NOT NULL DEFAULT false,
    locked boolean NOT NULL DEFAULT false
);
-- file: 002_posts.sql
CREATE TABLE posts (
    id bigint PRIMARY KEY,
    archived boolean DEFAULT false,
    pinned bool DEFAULT 't'::boolean
);
ALTER TABLE posts ADD COLUMN visible boolean DEFAULT TRUE;
-- The audit mirror repeats its source table's column: reported once, on the source.
CREATE TABLE subscriptions (id bigint PRIMARY KEY, renews boolean DEFAULT true);
CREATE TABLE subscriptions_history (id bigint, renews boolean DEFAULT true);
CREATE TABLE policies (id bigint PRIMARY KEY, active boolean DEFAULT true);
CREATE TABLE policy_history (id bigint, active boolean DEFAULT true);
