-- roles: table=accounts
CREATE TABLE accounts (id int NOT NULL, email text NOT NULL);
INSERT INTO accounts VALUES (1, 'a@example.com');
-- check
ALTER TABLE accounts ALTER COLUMN email DROP NOT NULL;
