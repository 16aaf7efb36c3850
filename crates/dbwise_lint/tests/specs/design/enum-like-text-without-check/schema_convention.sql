-- expect: enum-like-text-without-check x1
-- Every set is kept as text and validated by the application; none is limited by the schema.
CREATE TABLE orders (id bigint PRIMARY KEY, status varchar DEFAULT 'PENDING', kind text DEFAULT 'STANDARD');
CREATE TABLE invoices (id bigint PRIMARY KEY, status varchar DEFAULT 'DRAFT', payment_state text DEFAULT 'UNPAID');
