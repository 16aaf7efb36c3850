-- expect: serial-instead-of-identity x1
-- Written before the schema adopted identity columns: its history, not reported.
-- file: 001_accounts.sql
CREATE TABLE accounts (id serial PRIMARY KEY);
-- file: 002_tickets.sql
CREATE TABLE tickets (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
-- file: 003_comments.sql
-- Added after: reported.
CREATE TABLE comments (id bigserial PRIMARY KEY, ticket_id bigint REFERENCES tickets (id));
