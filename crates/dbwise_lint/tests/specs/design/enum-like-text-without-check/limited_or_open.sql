-- expect: none
CREATE TYPE order_status AS ENUM ('new', 'paid');
CREATE DOMAIN shipping_kind AS text CHECK (VALUE IN ('post', 'courier'));
CREATE TABLE account_types (code text PRIMARY KEY);
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    status order_status NOT NULL,
    shipping_kind shipping_kind,
    state text CHECK (state IN ('open', 'closed')),
    account_type text REFERENCES account_types (code),
    -- Open-ended values that only end with a closed-set word.
    mime_type text,
    content_type text,
    -- The type half of a polymorphic pair is judged by polymorphic-association.
    owner_type text,
    owner_id bigint,
    -- No default that is a code: nothing says the set is closed.
    phase text,
    label_kind text DEFAULT 'Shown on the invoice',
    -- Unknown type: not judged.
    visibility visibility_level
);
ALTER TABLE orders ADD COLUMN stage text;
ALTER TABLE orders ADD CONSTRAINT orders_stage_check CHECK (stage <> '');
