"""Judge dbwise's recommendations as the evaluation platform does: in a fresh session, create
each recommended index as a HypoPG index, EXPLAIN every query and sum the total costs; divide
by the sum with no index. Prints one row per budget beside the best published result."""
import glob
import json
import os
import shlex
import subprocess
import sys

queries_dir, work, sf, *budgets = sys.argv[1:]
psql = shlex.split(os.environ["PSQL"])
queries = sorted(glob.glob(os.path.join(queries_dir, "q*.sql")))
# Best of Extend, DB2Advis, AutoAdmin, Drop, Relaxation and Anytime (index-advisors.md).
published = {"250MB": (62.9, 2.0), "500MB": (54.4, 3.6), "1GB": (50.1, 6.4), "1.5GB": (47.9, 8.3)}
size = {"250MB": 250e6, "500MB": 500e6, "1GB": 1e9, "1.5GB": 1.5e9}


def evaluate(creates):
    """The summed EXPLAIN total cost and the HypoPG size of `creates`, in one new session."""
    script = ["SELECT hypopg_reset();"]
    for create in creates:
        statement = create.replace("CREATE INDEX CONCURRENTLY", "CREATE INDEX")
        script.append("SELECT count(*) FROM hypopg_create_index(%s);" % quote(statement))
    script.append("\\echo @@size")
    script.append("SELECT coalesce(sum(hypopg_relation_size(indexrelid)), 0) FROM hypopg_list_indexes;")
    for path in queries:
        script.append("\\echo @@query")
        text = open(path).read().strip().rstrip(";")
        script.append("EXPLAIN (FORMAT JSON) " + text + ";")
    out = subprocess.run(psql + ["-At"], input="\n".join(script), capture_output=True,
                         text=True, check=True).stdout
    parts = out.split("@@")
    hypo_size = int(parts[1].split("\n", 1)[1].strip())
    total = sum(json.loads(p.split("\n", 1)[1])[0]["Plan"]["Total Cost"] for p in parts[2:])
    return total, hypo_size


def quote(text):
    return "'" + text.replace("'", "''") + "'"


base, _ = evaluate([])
print(f"\nTPC-H SF {sf}, {len(queries)} queries (no Q2, Q17, Q20); no-index cost {base:,.0f}")
print(f"{'budget':>7} {'rel. cost':>9} {'published':>9} {'HypoPG MB':>9} {'dbwise MB':>9} "
      f"{'indexes':>7} {'what-if':>7} {'seconds':>7} {'Extend s':>8}")
for budget in budgets:
    advice = json.load(open(os.path.join(work, f"sf{sf}-{budget}.json")))
    start, end = map(float, open(os.path.join(work, f"sf{sf}-{budget}.time")).read().split())
    total, hypo_size = evaluate([i["create"] for i in advice["indexes"]])
    estimated = sum(i["estimated_bytes"] for i in advice["indexes"])
    best, extend_s = published.get(budget, (float("nan"), float("nan")))
    fits = "" if hypo_size <= size.get(budget, float("inf")) else " OVER BUDGET"
    print(f"{budget:>7} {100 * total / base:8.1f}% {best:8.1f}% {hypo_size / 1e6:9.1f} "
          f"{estimated / 1e6:9.1f} {len(advice['indexes']):7d} "
          f"{advice['search']['what_if_calls']:7d} {end - start:7.1f} {extend_s:8.1f}{fits}")
    for index in advice["indexes"]:
        print(f"        {index['create']}")
