-- roles: table=accounts index=accounts_email_key
CREATE TABLE accounts (id int NOT NULL, email text);
INSERT INTO accounts VALUES (1, 'a@example.com');
CREATE UNIQUE INDEX CONCURRENTLY accounts_email_idx ON accounts (email);
-- check
ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE USING INDEX accounts_email_idx;
