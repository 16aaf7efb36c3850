-- expect: serial-instead-of-identity x3
-- The schema took up identity columns; every serial spelling added after is reported.
-- file: 001_users.sql
CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
-- file: 002_tickets.sql
CREATE TABLE tickets (id serial PRIMARY KEY, title text NOT NULL);
CREATE TABLE events (id bigserial PRIMARY KEY);
CREATE SCHEMA audit;
CREATE TABLE audit.changes (id smallserial PRIMARY KEY);
