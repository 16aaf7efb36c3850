-- expect: foreign-key-without-index x3
-- rows: documents=100000
-- file: 001_schema.sql
CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE teams (id bigint PRIMARY KEY);
CREATE TABLE projects (id bigint PRIMARY KEY);
CREATE TABLE policies (id bigint PRIMARY KEY);
-- Four optional references on one table: one finding that lists them.
CREATE TABLE documents (
    id bigint PRIMARY KEY,
    owner_id bigint REFERENCES users (id),
    reviewer_id bigint REFERENCES users (id),
    team_id bigint REFERENCES teams (id),
    project_id bigint REFERENCES projects (id)
);
-- Three: one finding each for the two left unindexed.
CREATE TABLE comments (
    id bigint PRIMARY KEY,
    author_id bigint NOT NULL REFERENCES users (id),
    document_id bigint NOT NULL REFERENCES documents (id),
    policy_id bigint REFERENCES policies (id)
);
CREATE INDEX comments_document_id_idx ON comments (document_id);
-- The schema indexes most of its keys, so the unindexed ones above are slips.
CREATE TABLE tasks (
    id bigint PRIMARY KEY,
    owner_id bigint REFERENCES users (id),
    team_id bigint REFERENCES teams (id),
    project_id bigint REFERENCES projects (id),
    policy_id bigint REFERENCES policies (id),
    document_id bigint REFERENCES documents (id),
    reviewer_id bigint REFERENCES users (id)
);
CREATE INDEX ON tasks (owner_id);
CREATE INDEX ON tasks (team_id);
CREATE INDEX ON tasks (project_id);
CREATE INDEX ON tasks (policy_id);
CREATE INDEX ON tasks (document_id);
CREATE INDEX ON tasks (reviewer_id);
-- file: 002_enum_table.sql
CREATE TABLE custom_type_enums (id bigint PRIMARY KEY, name text NOT NULL);
-- A key to an enum table is a lookup: not reported.
ALTER TABLE projects ADD COLUMN kind_id bigint REFERENCES custom_type_enums (id);
