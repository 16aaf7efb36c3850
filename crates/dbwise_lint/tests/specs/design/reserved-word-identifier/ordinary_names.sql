-- expect: none
CREATE TABLE users (id bigint PRIMARY KEY, name text, type text, status text, position integer);
-- Mixed case needs quotes for its own reason and is not the key word.
CREATE TABLE "User" (id bigint PRIMARY KEY, "Order" integer);
