-- expect: none
CREATE TABLE languages (
    id bigint PRIMARY KEY,
    name text NOT NULL,
    code varchar(2),
    -- The internal one-byte type is not char(n).
    kind "char",
    -- A CHECK pins every value to the full length.
    iso char(3) CHECK (iso ~ '^[a-z]{3}$'),
    -- Short codes: a flag, an ISO code.
    flag char,
    country char(2),
    -- Left to uuid-stored-as-text.
    external_id char(36)
);
