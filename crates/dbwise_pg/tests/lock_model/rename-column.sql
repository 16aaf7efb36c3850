-- roles: table=accounts
CREATE TABLE accounts (id int NOT NULL, mail text);
INSERT INTO accounts VALUES (1, 'a@example.com');
-- check
ALTER TABLE accounts RENAME COLUMN mail TO email;
