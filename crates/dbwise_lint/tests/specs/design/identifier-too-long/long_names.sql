-- expect: identifier-too-long x2
CREATE TABLE customer_subscriptions (id bigint PRIMARY KEY, billing_account_id bigint, renewal_date date);
-- Long, but no other name shares its first 63 bytes: PostgreSQL cuts it the same way
-- wherever it is used, so it works.
CREATE INDEX index_customer_subscriptions_on_billing_account_id_and_renewal_date
    ON customer_subscriptions (billing_account_id, renewal_date);
-- The same first 63 bytes as the index above: IF NOT EXISTS creates nothing.
CREATE INDEX IF NOT EXISTS index_customer_subscriptions_on_billing_account_id_and_renewal_date_desc
    ON customer_subscriptions (billing_account_id, renewal_date DESC);
-- Two columns of one statement that become one name.
CREATE TABLE renewals (
    "the_date_on_which_the_subscription_was_renewed_for_the_last_time_a" date,
    "the_date_on_which_the_subscription_was_renewed_for_the_last_time_b" date
);
