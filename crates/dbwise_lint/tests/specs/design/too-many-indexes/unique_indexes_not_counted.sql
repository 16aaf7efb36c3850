-- expect: none
-- Eight indexes that only speed reads up, and four that enforce rules of the data: the unique
-- ones cannot be dropped to make writes cheaper, so they are not counted.
CREATE TABLE accounts (
    id bigint PRIMARY KEY, email text UNIQUE, handle text, a int, b int, c int, d int, e int,
    f int, g int, h int,
    CONSTRAINT accounts_handle_key UNIQUE (handle)
);
CREATE UNIQUE INDEX accounts_lower_email_key ON accounts (lower(email));
CREATE INDEX accounts_a_idx ON accounts (a);
CREATE INDEX accounts_b_idx ON accounts (b);
CREATE INDEX accounts_c_idx ON accounts (c);
CREATE INDEX accounts_d_idx ON accounts (d);
CREATE INDEX accounts_e_idx ON accounts (e);
CREATE INDEX accounts_f_idx ON accounts (f);
CREATE INDEX accounts_g_idx ON accounts (g);
CREATE INDEX accounts_h_idx ON accounts (h);
