-- expect: none
CREATE TABLE customer_subscriptions (id bigint PRIMARY KEY, billing_account_id bigint, renewal_date date);
CREATE INDEX customer_subscriptions_account_renewal_idx ON customer_subscriptions (billing_account_id, renewal_date);
-- Long text in strings and comments is not a name: index_customer_subscriptions_on_billing_account_id_and_renewal_date
COMMENT ON TABLE customer_subscriptions IS 'index_customer_subscriptions_on_billing_account_id_and_renewal_date';
-- PostgreSQL shortens the names it generates itself.
ALTER TABLE customer_subscriptions ADD CONSTRAINT customer_subscriptions_billing_account_id_renewal_date_key UNIQUE (billing_account_id, renewal_date);
ALTER TABLE customer_subscriptions ADD UNIQUE (billing_account_id, renewal_date, id);
-- Dropping or querying by the long name works (it is cut the same way); the creation is reported.
DROP INDEX IF EXISTS index_customer_subscriptions_on_billing_account_id_and_renewal_date;
SELECT the_date_on_which_the_subscription_was_renewed_for_the_last_time_x FROM customer_subscriptions;
