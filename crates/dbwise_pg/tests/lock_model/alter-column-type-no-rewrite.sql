-- roles: table=accounts
CREATE TABLE accounts (id int NOT NULL, email varchar(100));
INSERT INTO accounts VALUES (1, 'a@example.com');
-- check
ALTER TABLE accounts ALTER COLUMN email TYPE varchar(320);
