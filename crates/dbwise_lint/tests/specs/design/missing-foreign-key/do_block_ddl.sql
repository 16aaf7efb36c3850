-- expect: none
CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));
CREATE TABLE invoices (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));
CREATE TABLE carts (id bigint PRIMARY KEY, user_id bigint);
CREATE TABLE wishlists (id bigint PRIMARY KEY, user_id bigint);
-- An idempotent migration adds the key inside a DO block: its statements are replayed.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'carts_user_id_fkey') THEN
        ALTER TABLE carts ADD CONSTRAINT carts_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id);
    END IF;
END $$;
-- SQL built at run time cannot be followed: the model of wishlists may be stale, so nothing
-- is concluded from what it seems to lack.
DO $$
BEGIN
    EXECUTE format('ALTER TABLE %I ADD FOREIGN KEY (user_id) REFERENCES users (id)', 'wishlists');
END $$;
