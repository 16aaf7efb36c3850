#!/usr/bin/env python3
"""Print the speed table of bench/vs-pgbadger/run.sh and check that the tools agree."""
import argparse
import json
import re
import sys


def crude_key(query):
    """A tool-neutral text key: lower case, literals and parameters as ?, IN lists collapsed,
    comments and layout dropped (both tools' normalised texts map to the same key)."""
    q = re.sub(r"/\*.*?\*/", " ", query, flags=re.S)
    q = re.sub(r"--[^\n]*", " ", q)
    q = q.lower()
    q = re.sub(r"'(?:[^']|'')*'", "?", q)
    q = re.sub(r"\$\d+", "?", q)
    q = re.sub(r"(?<![\w$])\d+(?:\.\d+)?", "?", q)
    q = re.sub(r"\s+", " ", q).strip().rstrip(";").strip()
    q = re.sub(r"\bin \(\s*\?(?:\s*,\s*\?)*\s*\)", "in (...)", q)
    q = re.sub(r"\s*([(),=])\s*", r"\1", q)
    q = re.sub(r"\b(true|false)\b", "?", q)
    # COMMIT and END are one statement to libpg_query; pgBadger keeps the words apart.
    return "commit" if q == "end" else q


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bytes", type=int, required=True)
    ap.add_argument("--lines", type=int, required=True)
    ap.add_argument("--results", required=True)
    ap.add_argument("--pgbadger", required=True)
    ap.add_argument("--dbwise", required=True)
    ap.add_argument("--exact", required=True)
    ap.add_argument("--two-threads", required=True)
    args = ap.parse_args()

    runs = {}
    for line in open(args.results):
        name, wall, user, sys_, rss = line.split()
        runs[name] = dict(wall=float(wall), cpu=float(user) + float(sys_), rss=int(rss) / 1024)
    mb = args.bytes / 1e6
    print(f"\ninput: {mb:.1f} MB, {args.lines:,} lines (stderr log, pgBadger's recommended prefix)")
    print(f"{'tool':<14}{'wall s':>9}{'CPU s':>9}{'peak MB':>9}{'MB/s CPU':>10}{'MB/s wall':>11}{'lines/s CPU':>13}")
    for name, r in runs.items():
        print(f"{name:<14}{r['wall']:>9.2f}{r['cpu']:>9.2f}{r['rss']:>9.1f}{mb / max(r['cpu'], 1e-9):>10.1f}"
              f"{mb / max(r['wall'], 1e-9):>11.1f}{args.lines / max(r['cpu'], 1e-9):>13,.0f}")
    print("(MB/s CPU: MB per CPU second, the single-core throughput; MB/s wall: MB per second of wall time)")

    def ratio(a, b, key):
        return runs[a][key] / max(runs[b][key], 1e-9)

    for name in ("dbwise", "dbwise-2", "dbwise-exact"):
        print(f"{name} vs pgbadger -j 1: {ratio('pgbadger', name, 'cpu'):.1f}x in CPU time, "
              f"{ratio('pgbadger', name, 'wall'):.1f}x in wall time")
    print(f"dbwise-2 vs pgbadger -j 2: {ratio('pgbadger-j2', 'dbwise-2', 'cpu'):.1f}x in CPU time, "
          f"{ratio('pgbadger-j2', 'dbwise-2', 'wall'):.1f}x in wall time")
    print(f"two threads vs one: dbwise {ratio('dbwise', 'dbwise-2', 'wall'):.2f}x, "
          f"pgbadger {ratio('pgbadger', 'pgbadger-j2', 'wall'):.2f}x in wall time")

    ok = True
    pgb = {}
    for per_db in json.load(open(args.pgbadger))["normalyzed_info"].values():
        for query, info in per_db.items():
            key = crude_key(query)
            pgb[key] = pgb.get(key, 0) + int(info.get("count", 0))
    ours = json.load(open(args.dbwise))
    exact = json.load(open(args.exact))

    print("\ntop 20 dbwise shapes by total time, call counts against pgBadger:")
    for q in ours["queries"][:20]:
        key = crude_key(q["query"])
        theirs = pgb.get(key)
        if theirs is None:
            verdict = "no pgBadger entry"
            ok = False
        elif theirs == q["calls"]:
            verdict = "same"
        else:
            verdict = f"differs by {q['calls'] - theirs:+,}"
            ok = False
        print(f"  {q['calls']:>10,}  {theirs if theirs is not None else '-':>10}  {verdict:<18} {q['query'][:70]}")

    fast = {q["fingerprint"]: q["calls"] for q in ours["queries"]}
    slow = {q["fingerprint"]: q["calls"] for q in exact["queries"]}
    if fast == slow:
        print(f"\npre-normaliser vs libpg_query on every distinct text: identical grouping "
              f"({len(fast)} shapes, {sum(fast.values()):,} calls)")
    else:
        ok = False
        diff = sorted(set(fast.items()) ^ set(slow.items()))
        print(f"\npre-normaliser vs libpg_query: {len(diff)} shape counts differ: {diff[:10]}")

    if open(args.two_threads, "rb").read() == open(args.dbwise, "rb").read():
        print("dbwise --threads 2 vs --threads 1: identical JSON reports")
    else:
        ok = False
        print("dbwise --threads 2 vs --threads 1: the JSON reports differ")

    print("\nagreement:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
