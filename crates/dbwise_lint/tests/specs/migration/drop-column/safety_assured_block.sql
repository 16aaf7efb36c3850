-- expect: drop-column x1
-- file: 001_create.sql
CREATE TABLE users (id bigint PRIMARY KEY, legacy_email text, nickname text);
-- file: 002_drop.sql
-- transaction: wrapped
-- safety-assured:start
-- The application stopped reading legacy_email two releases ago.
ALTER TABLE users DROP COLUMN legacy_email;
-- safety-assured:end
-- Outside the reviewed block: reported.
ALTER TABLE users DROP COLUMN nickname;
