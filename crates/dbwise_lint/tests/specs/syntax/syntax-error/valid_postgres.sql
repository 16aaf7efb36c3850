-- expect: none
CREATE FUNCTION add_one(i int) RETURNS int LANGUAGE sql IMMUTABLE RETURN i + 1;
DO $$ BEGIN RAISE NOTICE 'semi;colon'; END $$;
CREATE TABLE "Quoted;Name" ("select" int, note text DEFAULT E'it\'s; fine');
COPY "Quoted;Name" ("select", note) FROM stdin;
1	a;b
\.
SELECT $tag$ $$ ; $tag$;
