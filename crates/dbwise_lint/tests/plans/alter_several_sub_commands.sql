-- file: 001_schema.sql
CREATE TABLE users (id bigint PRIMARY KEY, email text, handle text);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, total integer, email text, status text);
CREATE TABLE accounts (id bigint, code text, balance integer, region text);
INSERT INTO users VALUES (1, 'ada@example.org', 'ada'), (2, 'bob@example.org', 'bob');
INSERT INTO orders VALUES (10, 1, 100, 'ada@example.org', 'open'), (11, 2, 250, 'bob@example.org', 'closed');
CREATE TABLE tokens (id serial PRIMARY KEY, token text NOT NULL UNIQUE, user_id bigint);
INSERT INTO accounts VALUES (1, 'A', 5, 'eu'), (2, 'B', 7, 'us');
INSERT INTO tokens (token, user_id) VALUES ('t1', 1), ('t2', 2);
-- file: 002_change.sql
-- A rewrite, a foreign key and a NOT NULL next to a safe new column.
ALTER TABLE orders
    ADD COLUMN note text NOT NULL DEFAULT '',
    ALTER COLUMN total TYPE bigint,
    ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id),
    ALTER COLUMN email SET NOT NULL;
-- The foreign key references the unique key added beside it, on a column added beside it.
ALTER TABLE users
    ADD CONSTRAINT users_referrer_fk FOREIGN KEY (referrer) REFERENCES users (handle),
    ADD COLUMN referrer text, -- who invited them, (nullable)
    ADD CONSTRAINT users_handle_key UNIQUE (handle),
    ADD CONSTRAINT users_handle_check CHECK (length(handle) > 0),
    ADD COLUMN joined_at timestamptz NOT NULL DEFAULT clock_timestamp();
-- A type change whose column also gets NOT NULL and a default, a primary key on a nullable
-- column, and a dropped column.
ALTER TABLE accounts
    ALTER COLUMN balance TYPE bigint USING balance::bigint,
    ALTER COLUMN balance SET NOT NULL,
    ALTER COLUMN balance SET DEFAULT 0,
    ADD PRIMARY KEY (id),
    DROP COLUMN region,
    ALTER COLUMN code SET DEFAULT 'x,y';
-- The new primary key replaces the one of the dropped column (lemmy's change of primary keys).
ALTER TABLE tokens DROP COLUMN id, ADD PRIMARY KEY (token), DROP CONSTRAINT tokens_token_key;
