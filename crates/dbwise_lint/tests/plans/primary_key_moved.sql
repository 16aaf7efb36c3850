-- file: 001_create.sql
CREATE TABLE splits (split_id text PRIMARY KEY, index_uid text NOT NULL, state text);
INSERT INTO splits SELECT 's' || g, 'i' || (g % 3), 'staged' FROM generate_series(1, 100) g;
-- file: 002_move_key.sql
-- The key moves to two columns: the plan builds the new index beside the old key and swaps
-- it in, so the table is never without its primary key.
ALTER TABLE splits DROP CONSTRAINT splits_pkey, ADD PRIMARY KEY (index_uid, split_id);
