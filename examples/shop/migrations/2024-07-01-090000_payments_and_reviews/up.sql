CREATE TABLE payments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- flaw: points at orders, but no foreign key says so (orphans after a delete)
    order_id bigint NOT NULL,
    -- flaw: the money type depends on the server's locale and has no currency
    amount money NOT NULL,
    -- flaw: the valid statuses live only in the application
    status text NOT NULL DEFAULT 'pending',
    -- flaw: json, where jsonb could be indexed and compared
    provider_response json,
    paid_at timestamptz
);
CREATE INDEX payments_order_id_idx ON payments (order_id);
-- flaw: a left prefix of payments_status_paid_at_idx, so it only costs writes
CREATE INDEX payments_status_idx ON payments (status);
CREATE INDEX payments_status_paid_at_idx ON payments (status, paid_at);

CREATE TABLE product_reviews (
    -- flaw: serial, and a 32-bit key on a table that only grows
    id serial PRIMARY KEY,
    product_id bigint NOT NULL REFERENCES products (id),
    rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
    body text,
    -- flaw: a comma-separated list of customer ids in a string
    helpful_customer_ids text NOT NULL DEFAULT ''
);
CREATE INDEX product_reviews_product_id_idx ON product_reviews (product_id);

-- flaw: entity-attribute-value: every product property becomes an untyped row
CREATE TABLE product_properties (
    product_id bigint NOT NULL REFERENCES products (id),
    property text NOT NULL,
    value text,
    PRIMARY KEY (product_id, property)
);

CREATE TABLE newsletter_subscribers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- flaw: nothing stops one address from subscribing twice
    email text NOT NULL,
    subscribed_at timestamptz NOT NULL DEFAULT now()
);
