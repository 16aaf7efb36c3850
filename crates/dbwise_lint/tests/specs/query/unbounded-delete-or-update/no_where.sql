-- expect: unbounded-delete-or-update x2
UPDATE orders SET archived = false;
DELETE FROM sessions;
