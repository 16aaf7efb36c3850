-- roles: table=customers
CREATE TABLE clients (id int NOT NULL);
INSERT INTO clients VALUES (1);
-- check
ALTER TABLE clients RENAME TO customers;
