CREATE TABLE customers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE,
    full_name text NOT NULL,
    -- a wall-clock time with no zone, in a table that is naive throughout: a leftover, not
    -- worth a change on its own
    created_at timestamp NOT NULL DEFAULT now()
);

CREATE TABLE products (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sku text NOT NULL UNIQUE,
    title text NOT NULL,
    price_cents bigint NOT NULL CHECK (price_cents >= 0),
    stock integer NOT NULL DEFAULT 0 CHECK (stock >= 0)
);
