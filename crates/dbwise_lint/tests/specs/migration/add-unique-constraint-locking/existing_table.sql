-- expect: add-unique-constraint-locking x1
-- rows: users=100000
-- file: 001_create.sql
CREATE TABLE users (id bigint PRIMARY KEY, email text);
-- file: 002_unique.sql
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
