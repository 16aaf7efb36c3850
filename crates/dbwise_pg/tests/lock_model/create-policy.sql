-- roles: table=documents
CREATE TABLE documents (id int NOT NULL, owner_name text);
INSERT INTO documents VALUES (1, 'alice');
-- check
CREATE POLICY documents_owner ON documents USING (owner_name = current_user);
