-- expect: none
UPDATE orders SET archived = true WHERE placed_at < now() - interval '1 year';
DELETE FROM sessions WHERE expires_at < now();
