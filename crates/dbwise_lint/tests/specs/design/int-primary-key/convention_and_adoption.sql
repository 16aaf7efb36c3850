-- expect: int-primary-key x1
-- file: 001_first_app.sql
-- Four serial keys, written before the schema took up bigint keys: its history.
CREATE TABLE teams (id serial PRIMARY KEY);
CREATE TABLE members (id serial PRIMARY KEY);
CREATE TABLE projects (id serial PRIMARY KEY);
CREATE TABLE boards (id serial PRIMARY KEY);
-- file: 002_events.sql
-- The project switches to bigint keys here.
CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
-- file: 003_slip.sql
-- A 32-bit key after the switch is a slip: reported on its own.
CREATE TABLE messages (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
