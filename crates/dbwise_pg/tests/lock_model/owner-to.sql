-- roles: table=documents
CREATE TABLE documents (id int NOT NULL, owner_name text);
INSERT INTO documents VALUES (1, 'alice');
CREATE ROLE document_owner;
-- check
ALTER TABLE documents OWNER TO document_owner;
