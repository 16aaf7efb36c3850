-- expect: list-in-text-column x5
CREATE TABLE posts (
    id bigint PRIMARY KEY,
    tag_ids text NOT NULL DEFAULT '',
    tags varchar(500),
    "recipientList" text,
    roles text NOT NULL DEFAULT '{admin,viewer}',
    permissions text DEFAULT 'read,write'
);
