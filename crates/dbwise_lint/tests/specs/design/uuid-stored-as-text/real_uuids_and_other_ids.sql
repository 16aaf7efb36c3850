-- expect: none
CREATE TABLE sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- Application ids in other formats (cuid, nanoid) are not UUIDs.
    public_id text NOT NULL,
    short_id varchar(21),
    -- Length 36 but not an id.
    label varchar(36)
);
