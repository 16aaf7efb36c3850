-- expect: json-instead-of-jsonb x2
CREATE TABLE events (id bigint PRIMARY KEY, payload json NOT NULL, tags json[]);
