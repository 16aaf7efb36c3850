-- expect: reserved-word-identifier x3
-- A hand-written schema, whose names are mostly unquoted.
CREATE TABLE customers (id bigint PRIMARY KEY);
CREATE TABLE invoices (id bigint PRIMARY KEY);
CREATE TABLE "user" (id bigint PRIMARY KEY, "order" integer, "group" text);
