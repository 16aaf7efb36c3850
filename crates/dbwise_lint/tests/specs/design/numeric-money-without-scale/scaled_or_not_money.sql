-- expect: none
CREATE TABLE invoices (
    id bigint PRIMARY KEY,
    total numeric(12,2) NOT NULL,
    -- A CHECK already constrains it.
    fee numeric CHECK (fee = round(fee, 2)),
    -- Not money: a ratio and a measurement.
    tax_rate numeric,
    weight numeric
);
