-- Client sessions (this one marked own): who, from which application, in which state, since
-- when. state is NULL for another role's session unless the role has pg_read_all_stats.
SELECT a.pid,
       a.pid = pg_backend_pid() AS own,
       COALESCE(a.usename::text, '') AS username,
       COALESCE(a.application_name, '') AS application,
       COALESCE(a.state, '') AS state,
       extract(epoch FROM now() - a.xact_start)::float8 AS transaction_age,
       extract(epoch FROM now() - a.state_change)::float8 AS state_age,
       left(COALESCE(a.query, ''), 200) AS query
FROM pg_stat_activity a
WHERE a.backend_type = 'client backend'
ORDER BY a.pid
