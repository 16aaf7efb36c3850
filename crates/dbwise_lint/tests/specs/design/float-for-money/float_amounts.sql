-- expect: float-for-money x3
CREATE TABLE invoices (
    id bigint PRIMARY KEY,
    total double precision NOT NULL,
    tax_amount real,
    discount numeric(12,2),
    shipping_cost float(53)
);
