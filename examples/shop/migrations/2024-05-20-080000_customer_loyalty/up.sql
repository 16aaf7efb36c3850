CREATE TABLE loyalty_accounts (
    customer_id bigint PRIMARY KEY REFERENCES customers (id),
    points integer NOT NULL DEFAULT 0,
    opened_at timestamptz NOT NULL DEFAULT now(),
    -- flaw: no time zone, beside a column that has one
    last_earned_at timestamp
);
