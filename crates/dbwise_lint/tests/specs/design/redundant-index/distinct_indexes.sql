-- expect: none
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer_id bigint NOT NULL,
    placed_at timestamptz NOT NULL,
    name text,
    body tsvector
);
-- A unique index enforces something the longer index does not.
CREATE UNIQUE INDEX orders_customer_key ON orders (customer_id);
CREATE INDEX orders_customer_placed_idx ON orders (customer_id, placed_at);
-- Different order, sort direction, predicate, method or collation.
CREATE INDEX orders_placed_customer_idx ON orders (placed_at, customer_id);
CREATE INDEX orders_placed_desc_idx ON orders (placed_at DESC);
CREATE INDEX orders_placed_partial_idx ON orders (placed_at) WHERE customer_id > 0;
CREATE INDEX orders_body_idx ON orders USING gin (body);
CREATE INDEX orders_name_idx ON orders (name);
CREATE INDEX orders_name_c_idx ON orders (name COLLATE "C");
-- A prefix with INCLUDE columns the longer index lacks serves index-only scans.
CREATE INDEX orders_name_incl_idx ON orders (customer_id) INCLUDE (name);
