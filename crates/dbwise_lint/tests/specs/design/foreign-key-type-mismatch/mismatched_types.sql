-- expect: foreign-key-type-mismatch x3
CREATE TABLE accounts (id bigint PRIMARY KEY, uid uuid UNIQUE);
CREATE TABLE invoices (
    id bigint PRIMARY KEY,
    account_id integer REFERENCES accounts (id),
    account_uid varchar(36)
);
ALTER TABLE invoices ADD CONSTRAINT invoices_uid_fk FOREIGN KEY (account_uid) REFERENCES accounts (uid) NOT VALID;
-- A wider referencing integer costs a few bytes a row and compares directly: not reported.
CREATE TABLE regions (id integer PRIMARY KEY);
CREATE TABLE stores (id bigint PRIMARY KEY, region_id bigint REFERENCES regions);
-- A serial key is named by the type it stores.
CREATE TABLE uploads (id bigserial PRIMARY KEY);
CREATE TABLE staged_files (id bigint PRIMARY KEY, upload_id integer REFERENCES uploads (id));
