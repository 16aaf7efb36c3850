-- roles: table=accounts
CREATE TABLE accounts (id int NOT NULL, email text);
INSERT INTO accounts VALUES (1, 'a@example.com');
ALTER TABLE accounts ADD CONSTRAINT accounts_email_not_null CHECK (email IS NOT NULL) NOT VALID;
ALTER TABLE accounts VALIDATE CONSTRAINT accounts_email_not_null;
-- check
ALTER TABLE accounts ALTER COLUMN email SET NOT NULL;
