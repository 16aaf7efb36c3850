-- roles: table=accounts
CREATE TABLE accounts (id int NOT NULL, email text);
INSERT INTO accounts VALUES (1, 'a@example.com');
-- check
ALTER TABLE accounts ADD COLUMN email_domain text GENERATED ALWAYS AS (split_part(email, '@', 2)) STORED;
