-- expect: int-primary-key x3
-- rows: customers=100000, invoices=100000
CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer_id integer REFERENCES customers);
CREATE TABLE order_notes (id bigint PRIMARY KEY, order_id integer NOT NULL REFERENCES orders (id));
CREATE SEQUENCE invoices_id_seq;
CREATE TABLE invoices (id integer NOT NULL DEFAULT nextval('invoices_id_seq'::regclass) PRIMARY KEY);
