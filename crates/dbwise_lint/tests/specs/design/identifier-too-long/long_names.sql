-- expect: identifier-too-long x2
CREATE TABLE customer_subscriptions (id bigint PRIMARY KEY, billing_account_id bigint, renewal_date date);
CREATE INDEX index_customer_subscriptions_on_billing_account_id_and_renewal_date
    ON customer_subscriptions (billing_account_id, renewal_date);
ALTER TABLE customer_subscriptions ADD COLUMN "the_date_on_which_the_subscription_was_renewed_for_the_last_time" date;
