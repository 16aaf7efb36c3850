-- The relation locks a backend holds or waits for in the current database.
SELECT l.relation, l.mode, l.granted
FROM pg_locks l
WHERE l.locktype = 'relation'
  AND l.pid = $1
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
