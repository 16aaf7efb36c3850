-- expect: polymorphic-association x1
-- Four tables link rows by a type name and an id: the schema chose the pattern, and one note
-- says so instead of four findings.
CREATE TABLE comments (id bigint PRIMARY KEY, commentable_type text, commentable_id bigint);
CREATE TABLE likes (id bigint PRIMARY KEY, likeable_type text, likeable_id bigint);
CREATE TABLE tags (id bigint PRIMARY KEY, taggable_type text, taggable_id bigint);
CREATE TABLE audits (id bigint PRIMARY KEY, auditable_type varchar(50), auditable_id bigint);
