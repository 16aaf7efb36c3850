"""Run a command several times; print the median wall time, CPU time and peak memory.

Usage: measure.py RUNS LABEL -- COMMAND... ; prints one JSON line. Output of the command goes
to /dev/null except for the last run, whose stdout is kept in $MEASURE_KEEP if set.
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


def main():
    runs = int(sys.argv[1])
    label = sys.argv[2]
    cmd = sys.argv[sys.argv.index("--") + 1:]
    samples = [run_once(cmd, os.environ.get("MEASURE_KEEP") if i == runs - 1 else None) for i in range(runs)]
    print(json.dumps({
        "label": label,
        "runs": runs,
        "wall_s": statistics.median(s[0] for s in samples),
        "cpu_s": statistics.median(s[1] for s in samples),
        "peak_mb": max(s[2] for s in samples),
        "exit": samples[-1][3],
    }))


if __name__ == "__main__":
    main()
