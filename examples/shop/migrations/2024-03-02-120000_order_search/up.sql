-- flaw: orders already holds data; a plain CREATE INDEX blocks every write while it builds
CREATE INDEX orders_placed_at_idx ON orders (placed_at);
