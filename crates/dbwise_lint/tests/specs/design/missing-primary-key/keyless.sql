-- expect: missing-primary-key x3
CREATE TABLE page_views (page_id bigint NOT NULL, viewed_at timestamptz NOT NULL);
-- A unique key over a nullable column does not identify rows.
CREATE TABLE coupons (code text UNIQUE, discount integer);
-- A link table: the help proposes the two references as the key.
CREATE TABLE posts (id bigint PRIMARY KEY);
CREATE TABLE tags (id bigint PRIMARY KEY);
CREATE TABLE post_tags (
    post_id bigint NOT NULL REFERENCES posts (id),
    tag_id bigint NOT NULL REFERENCES tags (id)
);
