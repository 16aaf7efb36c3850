-- expect: foreign-key-without-index x1
-- rows: folders=100000, notes=100000, devices=100000, shares=100000
-- A schema that indexes hardly any of its keys: one note that lists them.
CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE folders (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id));
CREATE TABLE notes (
    id bigint PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id),
    folder_id bigint REFERENCES folders (id)
);
CREATE TABLE devices (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id));
CREATE TABLE shares (
    note_id bigint NOT NULL REFERENCES notes (id),
    user_id bigint NOT NULL REFERENCES users (id),
    PRIMARY KEY (note_id, user_id)
);
