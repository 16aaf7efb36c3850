-- expect: none
CREATE TABLE organisations (id bigint PRIMARY KEY);
CREATE TABLE link_type (id bigint PRIMARY KEY);
CREATE TABLE templates (id bigint PRIMARY KEY);
-- The id is a real foreign key.
CREATE TABLE apps (id bigint PRIMARY KEY, owner_type text, owner_id bigint REFERENCES organisations (id));
-- The type column is itself a reference to a lookup table.
CREATE TABLE links (id bigint PRIMARY KEY, link_type bigint REFERENCES link_type (id), link_id bigint);
-- An enum whose values describe the template (one coincides with a table name).
CREATE TYPE template_kind AS ENUM ('PUBLIC', 'PRIVATE', 'ORGANISATION');
CREATE TABLE envelopes (id bigint PRIMARY KEY, template_type template_kind, template_id bigint);
-- The table's own key beside a column that says what kind of row it is.
CREATE TABLE principals (principal_id serial PRIMARY KEY, principal_type text NOT NULL, principal_email text);
-- A text kind beside the id of a thing of that kind: the step's own kind, not its table.
CREATE TABLE history (id bigint PRIMARY KEY, step_type text, step_id text, vendor_type varchar(16), vendor_id bigint);
