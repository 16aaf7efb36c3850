-- expect: char-column x3
CREATE TABLE languages (
    id bigint PRIMARY KEY,
    name character(20) NOT NULL,
    code char(2),
    flag char
);
