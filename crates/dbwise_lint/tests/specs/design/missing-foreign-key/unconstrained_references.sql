-- expect: missing-foreign-key x3
CREATE TABLE customers (id bigint PRIMARY KEY);
CREATE TABLE categories (id integer PRIMARY KEY);
CREATE TABLE "User" (id text PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, category_id integer);
CREATE TABLE "Session" (id text PRIMARY KEY, "userId" text NOT NULL);
-- Other tables declare their references to the same targets.
CREATE TABLE payments (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers, category_id integer REFERENCES categories (id));
CREATE TABLE "Account" (id text PRIMARY KEY, "userId" text NOT NULL REFERENCES "User" (id));
CREATE TABLE refunds (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers, category_id integer REFERENCES categories (id));
CREATE TABLE "Device" (id text PRIMARY KEY, "userId" text NOT NULL REFERENCES "User" (id));
