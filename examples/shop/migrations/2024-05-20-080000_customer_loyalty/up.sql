CREATE TABLE loyalty_accounts (
    customer_id bigint PRIMARY KEY REFERENCES customers (id),
    points integer NOT NULL DEFAULT 0,
    -- flaw: no time zone again
    last_earned_at timestamp
);
