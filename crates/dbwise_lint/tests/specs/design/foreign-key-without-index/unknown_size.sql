-- expect: foreign-key-without-index x3
-- rows: folders=50000, tags=40
-- An unindexed key costs a scan of its table per deleted parent row, which matters only on a
-- large table. Listed: a table of known size (folders), one named for records that grow with
-- use (audit_events) and a partitioned one. Counted in a note instead: devices, whose size
-- nothing shows. Not reported at all: tags, known to be small.
CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE folders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));
CREATE TABLE devices (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));
CREATE TABLE tags (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));
CREATE TABLE audit_events (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));
CREATE TABLE readings (
    taken_at timestamptz NOT NULL,
    user_id bigint REFERENCES users (id)
) PARTITION BY RANGE (taken_at);
