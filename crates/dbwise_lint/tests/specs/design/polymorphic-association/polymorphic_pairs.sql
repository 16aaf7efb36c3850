-- expect: polymorphic-association x2
CREATE TABLE comments (
    id bigint PRIMARY KEY,
    commentable_type text NOT NULL,
    commentable_id bigint NOT NULL,
    body text NOT NULL
);
CREATE TABLE posts (id bigint PRIMARY KEY);
CREATE TABLE photos (id bigint PRIMARY KEY);
CREATE TYPE subject_kind AS ENUM ('Post', 'Photo');
CREATE TABLE likes (id bigint PRIMARY KEY, "subjectType" subject_kind, "subjectId" bigint);
