-- expect: none
CREATE TABLE posts (
    id bigint PRIMARY KEY,
    tag_ids bigint[] NOT NULL DEFAULT '{}',
    tags text[],
    settings jsonb NOT NULL DEFAULT '{}',
    -- An empty or keyed object kept as text is JSON, not a list.
    metadata varchar(255) NOT NULL DEFAULT '{}',
    config text DEFAULT '{"retries": 3}',
    list_name text,
    greeting text DEFAULT 'Hello, world',
    status text DEFAULT 'draft',
    -- A comma list in a number column is not text.
    position integer DEFAULT 0
);
