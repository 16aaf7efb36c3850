-- expect: none
-- Keys to static lookup tables (by name) are not reported.
CREATE TABLE order_status (id smallint PRIMARY KEY, name text NOT NULL);
CREATE TABLE countries (code text PRIMARY KEY);
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    status smallint NOT NULL REFERENCES order_status (id),
    country text REFERENCES countries (code)
);
