-- expect: none
-- file: 001_create.sql
CREATE TABLE customer (id bigint PRIMARY KEY);
ALTER TABLE customer RENAME TO customers;
-- file: 002_index.sql
ALTER INDEX customer_pkey RENAME TO customers_pkey;
