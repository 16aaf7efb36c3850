-- expect: numeric-money-without-scale x1
-- A billing schema that keeps every amount exact: one note for the convention.
CREATE TABLE prices (id bigint PRIMARY KEY, unit_amount numeric NOT NULL, flat_fee numeric);
CREATE TABLE invoice_lines (id bigint PRIMARY KEY, amount numeric NOT NULL, total numeric NOT NULL);
