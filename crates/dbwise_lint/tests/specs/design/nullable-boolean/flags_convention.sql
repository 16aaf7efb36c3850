-- expect: nullable-boolean x1
-- Every flag of the schema is written the same way: one note for the convention.
CREATE TABLE files (id bigint PRIMARY KEY, is_deleted boolean DEFAULT false);
CREATE TABLE collections (id bigint PRIMARY KEY, is_deleted boolean DEFAULT false, is_shared boolean DEFAULT false);
CREATE TABLE sessions (id bigint PRIMARY KEY, is_deleted boolean DEFAULT false);
