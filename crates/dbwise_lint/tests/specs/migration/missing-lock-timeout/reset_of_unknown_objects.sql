-- expect: none
-- A schema file that starts by dropping what a previous install may have left: the history
-- never created these, so the drops lock nothing anyone can tell of.
DROP TABLE IF EXISTS subscribers CASCADE;
DROP INDEX IF EXISTS subscribers_email_idx;
CREATE TABLE subscribers (id bigint PRIMARY KEY, email text NOT NULL);
