-- roles: table=accounts
CREATE TABLE accounts (id int NOT NULL, legacy_flag boolean);
INSERT INTO accounts VALUES (1, true);
-- check
ALTER TABLE accounts DROP COLUMN legacy_flag;
