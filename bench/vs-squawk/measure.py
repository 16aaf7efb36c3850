"""Run commands several times, interleaved; print each one's median wall time, CPU time and
peak memory.

Usage: measure.py RUNS LABEL -- COMMAND... [--- LABEL -- COMMAND...]
Round i runs every command once, in the order given, so a machine that speeds up or slows down
during the measurement affects all of them alike. Prints one JSON line per command. Output goes
to /dev/null except for the last round, whose stdout is kept in KEEP_<LABEL> (a file path) when
that variable is set.
"""
import json
import os
import statistics
import subprocess
import sys
import time


def run_once(cmd, keep):
    out = open(keep, "wb") if keep else subprocess.DEVNULL
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if keep:
        out.close()
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)


def parse(args):
    """Split `LABEL -- CMD... --- LABEL -- CMD...` into (label, command) pairs."""
    specs, current = [], []
    for arg in args + ["---"]:
        if arg == "---":
            label, sep, *cmd = current
            assert sep == "--" and cmd, "expected LABEL -- COMMAND..."
            specs.append((label, cmd))
            current = []
        else:
            current.append(arg)
    return specs


def main():
    runs = int(sys.argv[1])
    specs = parse(sys.argv[2:])
    samples = {label: [] for label, _ in specs}
    for i in range(runs):
        for label, cmd in specs:
            keep = os.environ.get(f"KEEP_{label}") if i == runs - 1 else None
            samples[label].append(run_once(cmd, keep))
    for label, _ in specs:
        s = samples[label]
        print(json.dumps({
            "label": label,
            "runs": runs,
            "wall_s": statistics.median(x[0] for x in s),
            "cpu_s": statistics.median(x[1] for x in s),
            "peak_mb": max(x[2] for x in s),
            "exit": s[-1][3],
        }))


if __name__ == "__main__":
    main()
