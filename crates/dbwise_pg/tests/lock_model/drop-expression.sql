-- roles: table=accounts
CREATE TABLE accounts (id int NOT NULL, email text, email_domain text GENERATED ALWAYS AS (split_part(email, '@', 2)) STORED);
INSERT INTO accounts (id, email) VALUES (1, 'a@example.com');
-- check
ALTER TABLE accounts ALTER COLUMN email_domain DROP EXPRESSION;
