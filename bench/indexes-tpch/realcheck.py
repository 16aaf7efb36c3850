"""Build one recommendation for real and measure it: each index's built size beside dbwise's
estimate and HypoPG's, and every query's EXPLAIN ANALYZE execution time before and after.
Runs in the benchmark's throwaway cluster, after the HypoPG evaluation."""
import glob
import json
import os
import shlex
import subprocess
import sys

queries_dir, advice_path = sys.argv[1:]
psql = shlex.split(os.environ["PSQL"])
queries = sorted(glob.glob(os.path.join(queries_dir, "q*.sql")))
advice = json.load(open(advice_path))


def run(sql):
    return subprocess.run(psql + ["-At"], input=sql, capture_output=True, text=True,
                          check=True).stdout


def timings():
    """Each query's execution time in ms, from EXPLAIN ANALYZE (one run after a warm-up run)."""
    result = {}
    for path in queries:
        text = open(path).read().strip().rstrip(";")
        run(f"EXPLAIN (ANALYZE, TIMING OFF) {text};")
        plan = json.loads(run(f"EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) {text};"))
        result[os.path.basename(path)] = plan[0]["Execution Time"]
    return result


before = timings()
for index in advice["indexes"]:
    run(index["create"].replace("CREATE INDEX CONCURRENTLY", "CREATE INDEX").rstrip(";") + ";")
# The schema has no index of its own, so these are the new ones, in creation order.
sizes = run("SELECT c.relname, pg_relation_size(c.oid) FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' ORDER BY c.oid;")
run("ANALYZE;")
after = timings()

rows = [line.split("|") for line in sizes.strip().splitlines()]
built_total = sum(int(size) for _, size in rows)
estimated = sum(i["estimated_bytes"] for i in advice["indexes"])
hypopg = sum(i["hypopg_bytes"] or 0 for i in advice["indexes"])
print(f"\nReal indexes: the {os.path.basename(advice_path)} recommendation built with CREATE INDEX")
print(f"{'index':<40} {'dbwise MB':>9} {'HypoPG MB':>9} {'built MB':>9}")
for index, (name, size) in zip(advice["indexes"], rows):
    print(f"{name:<40} {index['estimated_bytes'] / 1e6:9.1f} {(index['hypopg_bytes'] or 0) / 1e6:9.1f} "
          f"{int(size) / 1e6:9.1f}")
print(f"{'total':<40} {estimated / 1e6:9.1f} {hypopg / 1e6:9.1f} {built_total / 1e6:9.1f}")
print(f"\n{'query':<8} {'before ms':>10} {'after ms':>10} {'speed-up':>8}")
for query in before:
    print(f"{query:<8} {before[query]:10.0f} {after[query]:10.0f} {before[query] / after[query]:7.1f}x")
total_before, total_after = sum(before.values()), sum(after.values())
print(f"{'all':<8} {total_before:10.0f} {total_after:10.0f} {total_before / total_after:7.1f}x")
