-- roles: table=accounts
CREATE TABLE accounts (id int NOT NULL, email text);
INSERT INTO accounts VALUES (1, 'a@example.com');
-- check
ALTER TABLE accounts ADD COLUMN created_at timestamptz DEFAULT clock_timestamp();
