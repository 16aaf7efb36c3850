-- expect: none
-- A serial column is NOT NULL, so a unique key on it identifies rows as a primary key would,
-- whether it comes with the table or with the column added later.
CREATE TABLE sms_errors (phone text, message text);
ALTER TABLE sms_errors ADD COLUMN id bigserial, ADD CONSTRAINT sms_errors_uniq_id UNIQUE (id);
CREATE TABLE call_errors (id serial, message text, CONSTRAINT call_errors_uniq_id UNIQUE (id));
