-- expect: syntax-error x1
-- A non-breaking space after the last statement, pasted from a document: PostgreSQL reads it
-- as a name and fails.
CREATE TABLE usergroupaccess (id bigint PRIMARY KEY);
DROP TABLE IF EXISTS usergroupaccess CASCADE; 
