-- expect: none
-- The history dropped five keys and kept their columns: the project keeps references loose on
-- purpose, so the reference that never had a key is not reported either.
CREATE TABLE projects (id bigint PRIMARY KEY);
CREATE TABLE runs (id bigint PRIMARY KEY, project_id bigint REFERENCES projects (id));
CREATE TABLE steps (id bigint PRIMARY KEY, project_id bigint REFERENCES projects (id));
CREATE TABLE alerts (id bigint PRIMARY KEY, project_id bigint REFERENCES projects (id));
CREATE TABLE queues (id bigint PRIMARY KEY, project_id bigint REFERENCES projects (id));
CREATE TABLE schedules (id bigint PRIMARY KEY, project_id bigint REFERENCES projects (id));
CREATE TABLE keys (id bigint PRIMARY KEY, project_id bigint REFERENCES projects (id));
CREATE TABLE tokens (id bigint PRIMARY KEY, project_id bigint REFERENCES projects (id));
CREATE TABLE hooks (id bigint PRIMARY KEY, project_id bigint REFERENCES projects (id));
CREATE TABLE pages (id bigint PRIMARY KEY, project_id bigint REFERENCES projects (id));
CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE logins (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));
CREATE TABLE carts (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));
CREATE TABLE notes (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));
CREATE TABLE files (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));
CREATE TABLE likes (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));
ALTER TABLE runs DROP CONSTRAINT runs_project_id_fkey;
ALTER TABLE steps DROP CONSTRAINT steps_project_id_fkey;
ALTER TABLE alerts DROP CONSTRAINT alerts_project_id_fkey;
ALTER TABLE logins DROP CONSTRAINT logins_user_id_fkey;
ALTER TABLE carts DROP CONSTRAINT carts_user_id_fkey;
CREATE TABLE sessions (id bigint PRIMARY KEY, user_id bigint);
