-- expect: syntax-error x1
CREATE TABLE ok_before (id bigint);
CREATE TABEL broken (id bigint);
CREATE TABLE ok_after (id bigint);
