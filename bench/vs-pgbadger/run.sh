#!/usr/bin/env bash
# dbwise workload vs pgBadger on the same PostgreSQL log, in one run.
#
#   bench/vs-pgbadger/run.sh [SIZE_MB]        (default 200)
#
# 1. Generates a stderr log of at least SIZE_MB with pgbench against a throwaway PostgreSQL
#    cluster (log_min_duration_statement = 0, pgBadger's recommended log_line_prefix): TPC-B in
#    simple and prepared protocol plus a custom script with N+1 blocks and IN lists.
# 2. Runs, alternating the tools: Debian's pgbadger -j 1 (JSON output), `dbwise workload
#    --format json --threads 1`, dbwise --threads 2, pgbadger -j 2, and dbwise with
#    --exact-fingerprints (libpg_query on every distinct text).
# 3. Prints wall time, CPU time, peak memory and MB/s for each, the ratios (dbwise's CPU time
#    against pgbadger -j 1's, its wall time on two threads against pgbadger -j 2's), and checks
#    that the top 20 shapes agree in call counts, that the fast pre-normaliser groups exactly
#    like libpg_query, and that dbwise's report is the same on one thread and on two.
#
# Needs root (to install packages and run the server as the `postgres` OS user). The work
# directory is BENCH_DIR (default /tmp/dbwise-bench); the log is kept there for reruns.
set -euo pipefail

SIZE_MB=${1:-200}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=${BENCH_DIR:-/tmp/dbwise-bench}
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
PREFIX='%t [%p]: user=%u,db=%d,app=%a,client=%h '
LOG="$WORK/postgresql-${SIZE_MB}mb.log"

"$ROOT/scripts/deps"
mkdir -p "$WORK"
chmod 755 "$WORK"

if [ ! -s "$LOG" ]; then
    DATA=$(mktemp -d "$WORK/cluster.XXXXXX")
    chown postgres "$DATA"
    as_pg() { runuser -u postgres -- "$@"; }
    stop_cluster() { as_pg "$PGBIN/pg_ctl" -D "$DATA/data" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$DATA"; }
    trap stop_cluster EXIT
    as_pg "$PGBIN/initdb" -D "$DATA/data" -U postgres -A trust --no-sync -E UTF8 --locale=C >/dev/null
    cat >> "$DATA/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$DATA'
port = 5499
fsync = off
synchronous_commit = off
logging_collector = on
log_directory = '$DATA/log'
log_filename = 'postgresql.log'
log_rotation_size = 0
log_rotation_age = 0
log_destination = 'stderr'
log_min_duration_statement = 0
log_line_prefix = '$PREFIX'
log_checkpoints = on
log_connections = on
log_disconnections = on
log_lock_waits = on
log_temp_files = 0
lc_messages = 'C'
CONF
    as_pg "$PGBIN/pg_ctl" -D "$DATA/data" -l "$DATA/server.log" -w start >/dev/null
    PGB=("$PGBIN/pgbench" -h "$DATA" -p 5499 -U postgres -n)
    as_pg "$PGBIN/pgbench" -h "$DATA" -p 5499 -U postgres -i -q -s 5 postgres >/dev/null 2>&1
    echo "generating a ${SIZE_MB} MB log with pgbench ..."
    # Rounds of 35 s make about 100 MB of log each here; a small log (the CI smoke run) is
    # made in rounds of 3 s so as not to overshoot it a hundred times.
    durations=(20 5 10)
    [ "$SIZE_MB" -lt 50 ] && durations=(1 1 1)
    while :; do
        size=$(stat -c %s "$DATA/log/postgresql.log" 2>/dev/null || echo 0)
        [ "$size" -ge $((SIZE_MB * 1000000)) ] && break
        as_pg "${PGB[@]}" -c 4 -j 2 -T "${durations[0]}" -M simple postgres >/dev/null 2>&1
        as_pg "${PGB[@]}" -c 2 -j 1 -T "${durations[1]}" -M prepared postgres >/dev/null 2>&1
        as_pg "${PGB[@]}" -c 2 -j 1 -T "${durations[2]}" -M simple -f "$HERE/custom.sql" postgres >/dev/null 2>&1
        echo "  $(( $(stat -c %s "$DATA/log/postgresql.log") / 1000000 )) MB"
    done
    as_pg "$PGBIN/pg_ctl" -D "$DATA/data" -m fast -w stop >/dev/null
    cp "$DATA/log/postgresql.log" "$LOG"
    stop_cluster
    trap - EXIT
fi

echo "building dbwise (release) ..."
DBWISE="$("$ROOT/bench/dbwise-bin")"

BYTES=$(stat -c %s "$LOG")
LINES=$(wc -l < "$LOG")
cat "$LOG" > /dev/null   # warm the page cache

measure() { # name, command...
    local name=$1; shift
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/$name.time" "$@"
    read -r wall user sys rss < "$WORK/$name.time"
    echo "$name $wall $user $sys $rss" >> "$WORK/results.txt"
}
rm -f "$WORK/results.txt"
echo "running pgbadger $(pgbadger --version | awk '{print $NF}') and dbwise, alternating ..."
DBW=("$DBWISE" workload --format json --no-progress --log-line-prefix "$PREFIX" "$LOG")
measure pgbadger pgbadger -q -j 1 -f stderr -p "$PREFIX" -x json -o "$WORK/pgbadger.json" "$LOG"
measure dbwise "${DBW[@]}" --threads 1 -o "$WORK/dbwise.json"
measure dbwise-2 "${DBW[@]}" --threads 2 -o "$WORK/dbwise-2.json"
measure pgbadger-j2 pgbadger -q -j 2 -f stderr -p "$PREFIX" -x json -o "$WORK/pgbadger-j2.json" "$LOG"
measure dbwise-exact "${DBW[@]}" --threads 1 --exact-fingerprints -o "$WORK/dbwise-exact.json"

python3 "$HERE/compare.py" --bytes "$BYTES" --lines "$LINES" --results "$WORK/results.txt" \
    --pgbadger "$WORK/pgbadger.json" --dbwise "$WORK/dbwise.json" --exact "$WORK/dbwise-exact.json" \
    --two-threads "$WORK/dbwise-2.json"
