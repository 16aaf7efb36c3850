-- expect: char-column x2
CREATE TABLE languages (
    id bigint PRIMARY KEY,
    name character(20) NOT NULL,
    native_name char(40)
);
