-- expect: missing-foreign-key x1
CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));
CREATE TABLE invoices (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));
CREATE TABLE carts (id bigint PRIMARY KEY, user_id bigint);
-- A DO block that only moves data leaves the model of carts as it is.
DO $$
BEGIN
    UPDATE carts SET user_id = NULL WHERE user_id = 0;
END $$;
