-- On a standby: how long ago the last replayed transaction committed on the primary, and the
-- WAL received but not replayed yet.
SELECT extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 AS lag,
       pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::bigint AS pending_bytes
