-- expect: numeric-money-without-scale x2
CREATE TABLE invoices (
    id bigint PRIMARY KEY,
    total numeric NOT NULL,
    "unitPrice" decimal
);
