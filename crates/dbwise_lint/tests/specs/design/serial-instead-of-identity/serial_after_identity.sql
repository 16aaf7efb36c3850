-- expect: serial-instead-of-identity x1
-- Written before the schema adopted identity columns: its history, not reported.
CREATE TABLE accounts (id serial PRIMARY KEY);
CREATE TABLE tickets (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
-- Added after: reported.
CREATE TABLE comments (id bigserial PRIMARY KEY, ticket_id bigint REFERENCES tickets (id));
