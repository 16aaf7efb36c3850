#!/usr/bin/env python3
"""Write a PostgreSQL stderr log with many distinct query shapes.

    generate.py DISTINCT OUT.log

DISTINCT light shapes run once each (0.01 to 1 ms; each selects a column of its own, so no
two share a fingerprint), 1,000 medium shapes run 40 times (1 to 3 ms), and 100 heavy shapes
run 1,000 times (5 to 50 ms), all interleaved at random through the log. The prefix is
'%t [%p]: user=%u,db=%d,app=%a,client=%h ' (pgBadger's recommended one).
"""
import random
import sys


def letters(i):
    """A name for i made of letters only (digits in names are folded by fingerprints)."""
    out = []
    while True:
        out.append(chr(ord("a") + i % 26))
        i //= 26
        if i == 0:
            return "".join(out)


def main():
    distinct, path = int(sys.argv[1]), sys.argv[2]
    rnd = random.Random(7)
    events = [("l", i) for i in range(distinct)]
    events += [("m", i) for i in range(1_000) for _ in range(40)]
    events += [("h", i) for i in range(100) for _ in range(1_000)]
    rnd.shuffle(events)
    with open(path, "w") as out:
        for n, (kind, i) in enumerate(events):
            second = n // 1000
            stamp = f"2026-12-01 {10 + second // 3600 % 12:02d}:{second // 60 % 60:02d}:{second % 60:02d} UTC"
            pid = 1000 + n % 50
            if kind == "l":
                ms = rnd.uniform(0.01, 1.0)
                sql = f"SELECT c_{letters(i)} FROM light_rows WHERE id = {rnd.randint(1, 10**6)}"
            elif kind == "m":
                ms = rnd.uniform(1.0, 3.0)
                sql = f"SELECT * FROM medium_{letters(i)} WHERE account_id = {rnd.randint(1, 999)}"
            else:
                ms = rnd.uniform(5.0, 50.0)
                sql = f"SELECT sum(amount) FROM heavy_{letters(i)} WHERE created_at > now() - interval '{rnd.randint(1, 30)} days'"
            out.write(
                f"{stamp} [{pid}]: user=app,db=shop,app=web,client=127.0.0.1 LOG:  "
                f"duration: {ms:.3f} ms  statement: {sql}\n"
            )


main()
