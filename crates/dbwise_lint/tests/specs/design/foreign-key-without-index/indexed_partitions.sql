-- expect: foreign-key-without-index x1
CREATE TABLE releases (id bigint PRIMARY KEY);
CREATE TABLE artists (id bigint PRIMARY KEY);
CREATE TABLE artist_release (
    is_va boolean NOT NULL,
    artist bigint NOT NULL REFERENCES artists (id),
    release bigint NOT NULL REFERENCES releases (id)
) PARTITION BY LIST (is_va);
CREATE TABLE artist_release_va PARTITION OF artist_release FOR VALUES IN (true);
CREATE TABLE artist_release_other PARTITION OF artist_release FOR VALUES IN (false);
-- Every partition has an index leading with release: the key is covered.
CREATE UNIQUE INDEX artist_release_va_uniq ON artist_release_va (release, artist);
CREATE UNIQUE INDEX artist_release_other_uniq ON artist_release_other (release, artist);
-- Only one partition indexes artist: the other is scanned.
CREATE INDEX artist_release_va_artist_idx ON artist_release_va (artist);
