-- expect: natural-key-without-unique x3
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, username varchar(40) NOT NULL);
CREATE TABLE products (id bigint PRIMARY KEY, sku text NOT NULL);
CREATE INDEX products_sku_idx ON products (sku);
