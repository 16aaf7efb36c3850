-- expect: foreign-key-without-index x1
-- Sessions, tokens and invitations expire and are purged on their own, and are read by their
-- own key; roles are a lookup table. Only the comments' key is reported.
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
CREATE TABLE workspace_roles (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE members (
    id bigint PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id),
    role_id int NOT NULL REFERENCES workspace_roles (id)
);
CREATE INDEX members_user_idx ON members (user_id);
CREATE TABLE webauthn_sessions (id text PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id));
CREATE TABLE reauthentication_tokens (token text PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id));
CREATE TABLE workspace_invitations (code text PRIMARY KEY, inviter_id bigint NOT NULL REFERENCES users (id));
CREATE TABLE temp_srp_setup (id uuid PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id));
CREATE TABLE comments (id bigint PRIMARY KEY, author_id bigint NOT NULL REFERENCES users (id));
CREATE TABLE reactions (id bigint PRIMARY KEY, comment_id bigint NOT NULL REFERENCES comments (id));
CREATE INDEX reactions_comment_idx ON reactions (comment_id);
