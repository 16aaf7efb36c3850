-- roles: table=accounts index=accounts_pkey
CREATE TABLE accounts (id int NOT NULL, email text);
INSERT INTO accounts VALUES (1, 'a@example.com');
CREATE UNIQUE INDEX CONCURRENTLY accounts_id_idx ON accounts (id);
-- check
ALTER TABLE accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY USING INDEX accounts_id_idx;
