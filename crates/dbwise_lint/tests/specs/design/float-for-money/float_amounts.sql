-- expect: float-for-money x4
CREATE TABLE invoices (
    id bigint PRIMARY KEY,
    total double precision NOT NULL,
    tax_amount real,
    "unitPrice" float8,
    shipping_cost float(53)
);
