-- roles: table=documents
CREATE TABLE documents (id int NOT NULL, owner_name text);
INSERT INTO documents VALUES (1, 'alice');
-- check
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
