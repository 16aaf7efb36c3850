-- Every lock a backend holds or waits for (any lock type: a statement may wait on a virtual
-- transaction id), with the relation when it is one in the current database.
SELECT CASE
         WHEN l.locktype = 'relation'
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
         THEN l.relation
       END AS relation,
       l.mode,
       l.granted
FROM pg_locks l
WHERE l.pid = $1
