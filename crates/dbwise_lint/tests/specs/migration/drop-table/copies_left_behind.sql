-- expect: drop-table x1
-- file: 001_create.sql
CREATE TABLE orders (id bigint PRIMARY KEY);
CREATE TABLE orders_backup (id bigint PRIMARY KEY);
CREATE TABLE import_tmp (id bigint PRIMARY KEY);
-- file: 002_cleanup.sql
-- A backup and a scratch table are copies no running code uses: dropping them is the clean-up
-- a release after the change. The table the code reads is reported.
DROP TABLE orders_backup;
DROP TABLE import_tmp;
DROP TABLE orders;
