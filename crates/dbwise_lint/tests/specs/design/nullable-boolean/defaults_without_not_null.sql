-- expect: nullable-boolean x3
CREATE TABLE posts (
    id bigint PRIMARY KEY,
    archived boolean DEFAULT false,
    pinned bool DEFAULT 't'::boolean
);
ALTER TABLE posts ADD COLUMN visible boolean DEFAULT TRUE;
