-- expect: none
-- A generated schema quotes every name: a reserved one costs its queries nothing.
CREATE TABLE "Account" ("id" bigint PRIMARY KEY, "user" text);
CREATE TABLE "Order" ("id" bigint PRIMARY KEY, "group" text);
CREATE TABLE "order_items" ("id" bigint PRIMARY KEY, "order" bigint);
