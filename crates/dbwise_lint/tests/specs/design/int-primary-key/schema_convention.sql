-- expect: int-primary-key x1
-- 32-bit keys everywhere: one note, not one finding per table.
CREATE TABLE teams (id serial PRIMARY KEY);
CREATE TABLE members (id serial PRIMARY KEY);
CREATE TABLE projects (id serial PRIMARY KEY);
CREATE TABLE boards (id serial PRIMARY KEY);
CREATE TABLE cards (id serial PRIMARY KEY);
