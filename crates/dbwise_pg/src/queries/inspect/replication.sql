-- Replication slots with the WAL each keeps, measured from the current WAL position (the
-- replay position on a standby, where the current one is not defined).
SELECT s.slot_name::text AS name,
       s.slot_type AS kind,
       s.active,
       pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()
                            ELSE pg_current_wal_lsn() END,
                       s.restart_lsn)::bigint AS retained_bytes
FROM pg_replication_slots s
ORDER BY 1
