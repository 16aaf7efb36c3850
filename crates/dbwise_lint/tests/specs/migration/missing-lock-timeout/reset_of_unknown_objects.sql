-- expect: none
-- A schema file that starts by dropping what a previous install may have left (as
-- pg_dump --clean --if-exists writes): the history never created these, so the drops lock
-- nothing anyone can tell of.
ALTER TABLE IF EXISTS ONLY public.subscribers DROP CONSTRAINT IF EXISTS subscribers_list_fk;
DROP TABLE IF EXISTS subscribers CASCADE;
DROP INDEX IF EXISTS subscribers_email_idx;
CREATE TABLE subscribers (id bigint PRIMARY KEY, email text NOT NULL);
