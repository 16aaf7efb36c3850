DROP INDEX orders_placed_at_idx;
