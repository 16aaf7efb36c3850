-- expect: natural-key-without-unique x1
-- Who published a version (a row per version, keyed by it), a ban history and a log of slug
-- availability checks all repeat the key by design; the workspaces' own slug does not.
CREATE TABLE versions (id bigint PRIMARY KEY, number text NOT NULL);
CREATE TABLE versions_published_by (
    version_id bigint PRIMARY KEY REFERENCES versions (id),
    email text NOT NULL
);
CREATE TABLE banned_user (id bigserial PRIMARY KEY, username text NOT NULL, expires timestamptz NOT NULL);
CREATE TABLE workspace_slug_checks (id bigserial PRIMARY KEY, slug text NOT NULL, available boolean NOT NULL);
CREATE TABLE workspaces (id bigserial PRIMARY KEY, slug text NOT NULL);
