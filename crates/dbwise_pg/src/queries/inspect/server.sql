-- The server and database inspected: version, whether it is a standby, how long the statistics
-- have counted, the database's transaction-id age and buffer cache counters, and the
-- connection limits.
SELECT current_setting('server_version_num')::int AS version,
       pg_is_in_recovery() AS standby,
       current_database()::text AS database,
       extract(epoch FROM now() - d.stats_reset)::float8 AS stats_reset_age,
       d.stats_reset::text AS stats_reset_at,
       extract(epoch FROM now() - COALESCE(d.stats_reset, pg_postmaster_start_time()))::float8 AS stats_age,
       age(db.datfrozenxid)::bigint AS xid_age,
       COALESCE(d.blks_hit, 0) AS blocks_hit,
       COALESCE(d.blks_read, 0) AS blocks_read,
       current_setting('max_connections')::bigint AS max_connections,
       current_setting('superuser_reserved_connections')::bigint
         + COALESCE(current_setting('reserved_connections', true)::bigint, 0) AS reserved
FROM pg_database db
LEFT JOIN pg_stat_database d ON d.datid = db.oid
WHERE db.datname = current_database()
