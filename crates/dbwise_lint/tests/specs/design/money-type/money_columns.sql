-- expect: money-type x2
CREATE DOMAIN price AS money;
CREATE TABLE payments (id bigint PRIMARY KEY, amount money NOT NULL, fee price);
