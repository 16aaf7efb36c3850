-- expect: float-for-money x1
-- Every amount of this schema is floating point, as in a tracker of market prices: one note.
CREATE TABLE quotes (
    id bigint PRIMARY KEY,
    "marketPrice" double precision NOT NULL,
    fee real
);
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    "unitPrice" float8 NOT NULL,
    quantity double precision NOT NULL,
    total_cost double precision
);
