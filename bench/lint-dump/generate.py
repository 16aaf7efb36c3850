#!/usr/bin/env python3
"""Writes a deterministic `pg_dump --schema-only`-style file of about the size asked for:
tables with keys, foreign keys, indexes, comments, views, functions, sequences and grants, in
the order pg_dump emits them (objects first, then constraints and indexes at the end)."""
import sys

def main():
    target = int(float(sys.argv[1]) * 1_000_000)  # bytes
    out = sys.stdout
    out.write("--\n-- PostgreSQL database dump\n--\n\nSET statement_timeout = 0;\n"
              "SET lock_timeout = 0;\nSET client_encoding = 'UTF8';\n"
              "SET standard_conforming_strings = on;\n"
              "SELECT pg_catalog.set_config('search_path', '', false);\n\n")
    written = 0
    later = []
    n = 0
    while written < target:
        t = f"public.t{n:06d}"
        cols = [
            "    id bigint NOT NULL",
            "    name character varying(200) NOT NULL",
            "    status text DEFAULT 'new'::text NOT NULL",
            "    amount numeric(12,2)",
            "    created_at timestamp with time zone DEFAULT now() NOT NULL",
            "    updated_at timestamp with time zone",
            "    payload jsonb",
        ]
        if n > 0:
            cols.append(f"    parent_id bigint")
            cols.append(f"    t{(n * 7919) % n:06d}_id bigint")
        text = f"\n--\n-- Name: t{n:06d}; Type: TABLE; Schema: public; Owner: app\n--\n\n"
        text += f"CREATE TABLE {t} (\n" + ",\n".join(cols) + "\n);\n\n"
        text += f"ALTER TABLE {t} OWNER TO app;\n\n"
        text += f"COMMENT ON TABLE {t} IS 'generated table {n}';\n\n"
        text += (f"CREATE SEQUENCE public.t{n:06d}_id_seq\n    START WITH 1\n    INCREMENT BY 1\n"
                 f"    NO MINVALUE\n    NO MAXVALUE\n    CACHE 1;\n\n"
                 f"ALTER SEQUENCE public.t{n:06d}_id_seq OWNED BY {t}.id;\n\n")
        if n % 10 == 0:
            text += (f"CREATE VIEW public.v{n:06d} AS\n SELECT id, name, status\n   FROM {t}\n"
                     f"  WHERE (status = 'active'::text);\n\n")
        if n % 20 == 0:
            text += (f"CREATE FUNCTION public.f{n:06d}(p bigint) RETURNS bigint\n"
                     f"    LANGUAGE plpgsql\n    AS $$\nBEGIN\n  RETURN p + {n};\nEND;\n$$;\n\n")
        out.write(text)
        written += len(text)
        later.append(f"ALTER TABLE ONLY {t} ALTER COLUMN id SET DEFAULT nextval('public.t{n:06d}_id_seq'::regclass);\n\n")
        later.append(f"ALTER TABLE ONLY {t}\n    ADD CONSTRAINT t{n:06d}_pkey PRIMARY KEY (id);\n\n")
        later.append(f"CREATE INDEX t{n:06d}_created_idx ON {t} USING btree (created_at);\n\n")
        if n > 0:
            later.append(f"ALTER TABLE ONLY {t}\n    ADD CONSTRAINT t{n:06d}_parent_fkey "
                         f"FOREIGN KEY (parent_id) REFERENCES public.t{n - 1:06d}(id);\n\n")
            later.append(f"CREATE INDEX t{n:06d}_parent_idx ON {t} USING btree (parent_id);\n\n")
        later.append(f"GRANT SELECT ON TABLE {t} TO readonly;\n\n")
        written += sum(len(x) for x in later[-6:])
        n += 1
    out.write("".join(later))
    out.write("--\n-- PostgreSQL database dump complete\n--\n\n")

main()
