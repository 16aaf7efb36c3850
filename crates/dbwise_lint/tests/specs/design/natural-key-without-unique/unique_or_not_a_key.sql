-- expect: none
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, username text NOT NULL UNIQUE);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
-- Scoped uniqueness counts, and so does a partial unique index.
CREATE TABLE articles (id bigint PRIMARY KEY, tenant_id bigint NOT NULL, slug text NOT NULL, deleted_at timestamptz);
CREATE UNIQUE INDEX articles_slug_key ON articles (tenant_id, slug) WHERE deleted_at IS NULL;
-- Names that only contain the word, tables about the key, references.
CREATE TABLE orders (id bigint PRIMARY KEY, contact_email text, user_email text);
CREATE TABLE email_log (id bigint PRIMARY KEY, email text NOT NULL);
CREATE TABLE invitations (id bigint PRIMARY KEY, email text NOT NULL);
-- Who ran a job, opened a session or set a record: many rows per person.
CREATE TABLE job_run_details (id bigint PRIMARY KEY, username text);
CREATE TABLE login_sessions (id bigint PRIMARY KEY, username text);
-- A leaderboard record repeats the player's name beside each score.
CREATE TABLE leaderboard_record (id bigint PRIMARY KEY, username text, score bigint);
-- A second email column on a table keyed by a unique login name may repeat.
CREATE TABLE editors (id bigint PRIMARY KEY, name text NOT NULL, email text);
CREATE UNIQUE INDEX editors_name_key ON editors (lower(name));
-- citext with a unique constraint, and an unknown type.
CREATE TABLE members (id bigint PRIMARY KEY, email citext UNIQUE, handle handle_type);
