-- file: 001_schema.sql
CREATE TABLE users (id bigint PRIMARY KEY, email text, age integer);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, total integer);
CREATE TABLE events (id bigint, payload jsonb);
INSERT INTO users VALUES (1, 'ada@example.org', 36), (2, 'bob@example.org', 41);
INSERT INTO orders VALUES (10, 1, 100), (11, 2, 250);
INSERT INTO events VALUES (1, '{}'), (2, '{}');
-- file: 002_constraints.sql
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE;
ALTER TABLE users ADD CONSTRAINT users_age_positive CHECK (age > 0);
ALTER TABLE orders ADD CHECK (total >= 0);
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
ALTER TABLE events ADD PRIMARY KEY (id);
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
