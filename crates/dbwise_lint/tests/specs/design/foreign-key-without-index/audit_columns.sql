-- expect: foreign-key-without-index x1
CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE pull_requests (
    id bigint PRIMARY KEY,
    -- Who created, merged or last changed the row: written once, read beside it.
    created_by bigint NOT NULL REFERENCES users (id),
    "mergedById" bigint REFERENCES users (id),
    updated_by_id bigint REFERENCES users (id),
    invited_by_user_id bigint REFERENCES users (id),
    "lockedByUserId" bigint REFERENCES users (id),
    -- Whose pull request it is: looked up from the user, reported.
    author_id bigint NOT NULL REFERENCES users (id)
);
