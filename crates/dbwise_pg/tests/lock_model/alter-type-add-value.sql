-- roles:
-- then-in-same-transaction-fails: SELECT 'paused'::subscription_state
CREATE TYPE subscription_state AS ENUM ('active', 'cancelled');
-- check
ALTER TYPE subscription_state ADD VALUE 'paused';
