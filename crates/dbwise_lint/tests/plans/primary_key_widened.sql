-- file: 001_create.sql
CREATE TABLE role_permission (id serial PRIMARY KEY, role_id integer NOT NULL, permission text);
INSERT INTO role_permission (role_id, permission) SELECT g % 7, 'p' || g FROM generate_series(1, 50) g;
-- file: 002_widen.sql
-- The key widens to bigint: a copy kept by a trigger is swapped in, and the table keeps its
-- key, its sequence and the column name throughout.
ALTER TABLE role_permission ALTER COLUMN id TYPE bigint;
-- after: INSERT INTO role_permission (role_id, permission) VALUES (3, 'new');
-- after: DO $$ BEGIN IF (SELECT count(*) FROM role_permission WHERE id IS NULL OR id > 51) > 0 OR (SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'role_permission'::regclass AND attname = 'id') <> 'bigint' OR NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'role_permission'::regclass AND contype = 'p') THEN RAISE EXCEPTION 'the key did not survive'; END IF; END $$;
