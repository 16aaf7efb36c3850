-- expect: none
CREATE TABLE orders (id bigint PRIMARY KEY);
CREATE TABLE products (id bigint PRIMARY KEY);
-- Covered by the composite primary key, which leads with order_id.
CREATE TABLE order_lines (
    order_id bigint REFERENCES orders (id),
    product_id bigint REFERENCES products (id),
    quantity int NOT NULL,
    PRIMARY KEY (order_id, product_id)
);
CREATE INDEX order_lines_product_idx ON order_lines (product_id);
-- A composite foreign key covered by an index on the same columns in another order.
CREATE TABLE line_notes (
    order_id bigint,
    product_id bigint,
    note text,
    FOREIGN KEY (order_id, product_id) REFERENCES order_lines (order_id, product_id)
);
CREATE INDEX line_notes_lookup_idx ON line_notes (product_id, order_id, note);
-- A unique constraint covers too.
CREATE TABLE profiles (id bigint PRIMARY KEY, order_id bigint UNIQUE REFERENCES orders);
-- A composite key whose first column has an index: it narrows the lookup to a few rows.
CREATE TABLE accounts (id uuid, owner_id bigint, PRIMARY KEY (id, owner_id));
CREATE TABLE balances (
    id bigint PRIMARY KEY,
    account_id uuid NOT NULL,
    account_owner_id bigint NOT NULL,
    FOREIGN KEY (account_id, account_owner_id) REFERENCES accounts (id, owner_id)
);
CREATE INDEX balances_account_idx ON balances (account_id);
