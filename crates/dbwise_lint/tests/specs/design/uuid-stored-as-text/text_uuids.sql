-- expect: uuid-stored-as-text x3
-- rows: sessions=100000
CREATE TABLE sessions (
    id varchar(36) PRIMARY KEY DEFAULT gen_random_uuid()::text,
    user_id char(36) NOT NULL,
    "requestId" text DEFAULT uuid_generate_v4()
);
