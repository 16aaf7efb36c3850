-- expect: none
CREATE TABLE posts (id bigint PRIMARY KEY);
CREATE TABLE comments (id bigint PRIMARY KEY);
-- A nullable reference indexed only where it is set: a lookup by key implies the predicate.
CREATE TABLE notifications (
    id bigint PRIMARY KEY,
    post_id bigint REFERENCES posts (id),
    comment_id bigint REFERENCES comments (id)
);
CREATE INDEX notifications_post_idx ON notifications (post_id) WHERE post_id IS NOT NULL;
CREATE INDEX notifications_comment_idx ON notifications (comment_id) WHERE (comment_id IS NOT NULL);
