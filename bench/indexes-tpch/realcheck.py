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


# Without indexes some queries (Q21's correlated NOT EXISTS on lineitem) run for hours at SF 1:
# each run stops at this limit, and the table shows the limit as a lower bound.
LIMIT_MS = int(os.environ.get("REALCHECK_LIMIT_MS", "120000"))


def run(sql):
    return subprocess.run(psql + ["-At"], input=sql, capture_output=True, text=True,
                          check=True).stdout


def timed(text):
    """The execution time of one EXPLAIN ANALYZE run in ms, or None past the limit."""
    out = subprocess.run(psql + ["-At"], capture_output=True, text=True,
                         input=f"SET statement_timeout = {LIMIT_MS};\n"
                               f"EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) {text};")
    if out.returncode != 0:
        if "statement timeout" in out.stderr:
            return None
        raise RuntimeError(out.stderr)
    return json.loads(out.stdout)[0]["Execution Time"]


def timings():
    """Each query's execution time in ms: the second of two runs, so the cache is warm; None
    when a run passed the limit."""
    result = {}
    for path in queries:
        text = open(path).read().strip().rstrip(";")
        result[os.path.basename(path)] = timed(text) and timed(text)
    return result


def shown(ms):
    return f"{ms:10.0f}" if ms is not None else f"{'>' + str(LIMIT_MS):>10}"


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
print(f"\n{'query':<8} {'before ms':>10} {'after ms':>10} {'speed-up':>9}")
for query in before:
    b, a = before[query], after[query]
    ratio = "" if a is None else f"{(b if b is not None else LIMIT_MS) / max(a, 0.001):8.1f}x"
    if b is None and a is not None:
        ratio = ">" + ratio.strip()
    print(f"{query:<8} {shown(b)} {shown(a)} {ratio:>9}")
# Queries past the limit count at the limit: the totals and the speed-up are lower bounds.
total_before = sum(b if b is not None else LIMIT_MS for b in before.values())
total_after = sum(a if a is not None else LIMIT_MS for a in after.values())
print(f"{'all':<8} {total_before:10.0f} {total_after:10.0f} {total_before / total_after:8.1f}x"
      f"   (a run past {LIMIT_MS} ms counts as {LIMIT_MS} ms)")
