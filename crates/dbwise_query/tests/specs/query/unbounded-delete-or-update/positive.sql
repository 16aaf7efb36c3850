-- expect: unbounded-delete-or-update
DELETE FROM sessions;
UPDATE users SET active = false;
