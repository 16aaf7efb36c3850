-- expect: none
CREATE TABLE posts (
    id bigint PRIMARY KEY,
    archived boolean NOT NULL DEFAULT false,
    -- No default: a third state ("not answered") may be meant.
    accepted_terms boolean,
    -- A non-constant default says nothing about two values.
    weekend boolean DEFAULT (extract(isodow FROM now()) > 5)
);
-- Fixed by a later migration.
ALTER TABLE posts ADD COLUMN visible boolean DEFAULT true;
ALTER TABLE posts ALTER COLUMN visible SET NOT NULL;
