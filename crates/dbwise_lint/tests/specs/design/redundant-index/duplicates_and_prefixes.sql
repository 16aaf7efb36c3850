-- expect: redundant-index x5
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer_id bigint NOT NULL,
    placed_at timestamptz NOT NULL,
    email text
);
CREATE INDEX orders_customer_idx ON orders (customer_id);
CREATE INDEX orders_customer_placed_idx ON orders (customer_id, placed_at);
-- A plain index on the primary key column duplicates the key's index.
CREATE INDEX orders_id_idx ON orders (id);
CREATE INDEX orders_lower_email_idx ON orders (lower(email));
CREATE INDEX orders_lower_email_idx2 ON orders (lower( email ));
-- Same keys, same predicate.
CREATE INDEX orders_recent_idx ON orders (placed_at) WHERE placed_at > '2026-01-01';
CREATE INDEX orders_recent_idx2 ON orders (placed_at) WHERE placed_at > '2026-01-01';
-- A unique constraint written before the primary key on the same column: the unique one goes,
-- since foreign keys and replication rely on the primary key.
CREATE TABLE workers (name text NOT NULL, CONSTRAINT workers_name_unique UNIQUE (name));
ALTER TABLE workers ADD CONSTRAINT workers_pkey PRIMARY KEY (name);
