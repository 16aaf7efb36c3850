-- expect: enum-like-text-without-check x3
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    status text NOT NULL DEFAULT 'new',
    "paymentState" varchar(20) DEFAULT 'unpaid'::character varying,
    kind text NOT NULL DEFAULT 'standard'::text
);
