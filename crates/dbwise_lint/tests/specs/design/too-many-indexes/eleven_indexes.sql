-- expect: too-many-indexes x1
CREATE TABLE posts (
    id bigint PRIMARY KEY, a int, b int, c int, d int, e int, f int, g int, h int, i int, j int, k int
);
CREATE INDEX posts_a_idx ON posts (a);
CREATE INDEX posts_b_idx ON posts (b);
CREATE INDEX posts_c_idx ON posts (c);
CREATE INDEX posts_d_idx ON posts (d);
CREATE INDEX posts_e_idx ON posts (e);
CREATE INDEX posts_f_idx ON posts (f);
CREATE INDEX posts_g_idx ON posts (g);
CREATE INDEX posts_h_idx ON posts (h);
CREATE INDEX posts_i_idx ON posts (i);
CREATE INDEX posts_j_idx ON posts (j);
CREATE INDEX posts_k_idx ON posts (k) WHERE k > 0;
