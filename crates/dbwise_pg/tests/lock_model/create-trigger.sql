-- roles: table=orders
CREATE TABLE orders (id int NOT NULL, updated_at timestamptz);
INSERT INTO orders VALUES (1, now());
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
-- check
CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch();
