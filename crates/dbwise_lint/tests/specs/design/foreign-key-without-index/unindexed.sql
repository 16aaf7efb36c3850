-- expect: foreign-key-without-index x3
-- rows: shipments=100000, notes=100000
CREATE TABLE customers (id bigint PRIMARY KEY);
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id)
);
CREATE TABLE shipments (
    id bigint PRIMARY KEY,
    order_id bigint NOT NULL,
    customer_id bigint NOT NULL,
    CONSTRAINT shipments_order_fk FOREIGN KEY (order_id) REFERENCES orders (id)
);
-- An index whose first column is another column does not serve the lookup.
CREATE INDEX shipments_customer_order_idx ON shipments (customer_id, order_id);
ALTER TABLE shipments ADD CONSTRAINT shipments_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);
-- Only the second FK is covered (by the index above).
ALTER TABLE shipments DROP CONSTRAINT shipments_customer_fk;
CREATE TABLE notes (id bigint PRIMARY KEY, order_id bigint REFERENCES orders);
