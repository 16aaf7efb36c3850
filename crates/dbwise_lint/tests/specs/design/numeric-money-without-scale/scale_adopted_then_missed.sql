-- expect: numeric-money-without-scale x1
-- The old plain columns are history; the one written after the schema adopted a scale is a slip.
CREATE TABLE prices (id bigint PRIMARY KEY, unit_amount numeric NOT NULL, flat_fee numeric);
CREATE TABLE invoice_lines (id bigint PRIMARY KEY, amount numeric NOT NULL, total numeric NOT NULL);
CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(12,2), discount numeric(12,2));
CREATE TABLE refunds (id bigint PRIMARY KEY, amount numeric);
