-- expect: reserved-word-identifier x3
CREATE TABLE "user" (id bigint PRIMARY KEY, "order" integer, "group" text);
