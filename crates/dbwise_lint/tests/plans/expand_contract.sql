-- file: 001_schema.sql
CREATE TABLE users (id bigint PRIMARY KEY, name text, email text, age integer, note varchar(20));
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, total integer);
INSERT INTO users VALUES (1, 'Ada', 'ada@example.org', 36, 'x'), (2, 'Bob', 'bob@example.org', 41, NULL);
INSERT INTO orders VALUES (10, 1, 100), (11, 2, 250), (12, NULL, 5);
-- file: 002_change.sql
BEGIN;
ALTER TABLE users RENAME COLUMN name TO full_name;
ALTER TABLE orders ALTER COLUMN total TYPE bigint;
ALTER TABLE users ALTER COLUMN note TYPE text;
ALTER TABLE orders DROP COLUMN user_id;
ALTER TABLE users RENAME TO members;
COMMIT;
