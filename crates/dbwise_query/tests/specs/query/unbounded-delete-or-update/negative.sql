-- expect: none
DELETE FROM sessions WHERE expires_at < now();
UPDATE users SET active = false WHERE last_login < now() - interval '1 year';
UPDATE users u SET plan = p.name FROM plans p WHERE p.id = u.plan_id;
