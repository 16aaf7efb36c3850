-- expect: none
CREATE TABLE invoices (
    id bigint PRIMARY KEY,
    total numeric(12,2) NOT NULL,
    price_cents bigint NOT NULL,
    -- Floating point is fine for measurements and ratios.
    tax_rate double precision,
    total_time double precision,
    discount_percent real,
    weight_kg real,
    priceless_score double precision
);
-- A later migration fixed the type: the final schema is what counts.
CREATE TABLE refunds (id bigint PRIMARY KEY, amount double precision);
ALTER TABLE refunds ALTER COLUMN amount TYPE numeric(12,2);
