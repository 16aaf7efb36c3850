-- expect: missing-foreign-key x3
CREATE TABLE customers (id bigint PRIMARY KEY);
CREATE TABLE categories (id integer PRIMARY KEY);
CREATE TABLE "User" (id text PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, category_id integer);
CREATE TABLE "Session" (id text PRIMARY KEY, "userId" text NOT NULL);
