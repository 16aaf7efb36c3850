-- roles: table=accounts
-- The table is empty: on a table with rows this statement fails, which is the point of the rule.
CREATE TABLE accounts (id int NOT NULL, email text);
-- check
ALTER TABLE accounts ADD COLUMN region text NOT NULL;
