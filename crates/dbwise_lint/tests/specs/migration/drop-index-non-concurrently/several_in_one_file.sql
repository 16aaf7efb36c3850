-- expect: drop-index-non-concurrently x1
-- rows: users=100000
-- Three drops in one migration are one finding at the first, naming the other two lines.
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY, status text, note text);
CREATE TABLE users (id bigint PRIMARY KEY, email text);
CREATE INDEX orders_status_idx ON orders (status);
CREATE INDEX orders_note_idx ON orders (note);
CREATE INDEX users_email_idx ON users (email);
-- file: 002_drop.sql
DROP INDEX orders_status_idx;
DROP INDEX orders_note_idx;
DROP INDEX users_email_idx;
