-- expect: uuid-stored-as-text x1
-- Ids kept as text throughout, no uuid column anywhere: one note for the convention.
CREATE TABLE users (id varchar(36) PRIMARY KEY, name text);
CREATE TABLE ciphers (id varchar(36) PRIMARY KEY, user_id varchar(36) REFERENCES users (id));
CREATE TABLE folders (id char(36) PRIMARY KEY, user_id varchar(36) REFERENCES users (id));
