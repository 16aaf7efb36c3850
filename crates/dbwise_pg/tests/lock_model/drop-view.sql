-- roles: view=active_accounts
CREATE TABLE accounts (id int NOT NULL, email text, active boolean);
INSERT INTO accounts VALUES (1, 'a@example.com', true);
CREATE VIEW active_accounts AS SELECT id FROM accounts WHERE active;
-- check
DROP VIEW active_accounts;
