-- roles: table=accounts
CREATE TABLE accounts (id int NOT NULL, plan text);
INSERT INTO accounts VALUES (1, 'free');
-- check
ALTER TABLE accounts ALTER COLUMN plan SET DEFAULT 'free';
