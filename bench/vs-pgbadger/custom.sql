-- A less trivial workload than TPC-B alone: an N+1 block, IN lists of several lengths,
-- a sqlcommenter comment and a multi-line statement.
\set aid random(1, 100000 * :scale)
\set bid random(1, 1 * :scale)
\set n1 random(1, 100000 * :scale)
\set n2 random(1, 100000 * :scale)
\set n3 random(1, 100000 * :scale)
\set n4 random(1, 100000 * :scale)
\set n5 random(1, 100000 * :scale)
\set n6 random(1, 100000 * :scale)
BEGIN;
SELECT bid, bbalance FROM pgbench_branches WHERE bid = :bid;
SELECT tid, tbalance FROM pgbench_tellers WHERE bid = :bid AND tid = 1 + (:aid % 10);
SELECT aid, abalance FROM pgbench_accounts WHERE aid = :n1;
SELECT aid, abalance FROM pgbench_accounts WHERE aid = :n2;
SELECT aid, abalance FROM pgbench_accounts WHERE aid = :n3;
SELECT aid, abalance FROM pgbench_accounts WHERE aid = :n4;
SELECT aid, abalance FROM pgbench_accounts WHERE aid = :n5;
SELECT aid, abalance FROM pgbench_accounts WHERE aid = :n6;
END;
SELECT count(*) FROM pgbench_accounts WHERE aid IN (:n1, :n2);
SELECT count(*) FROM pgbench_accounts WHERE aid IN (:n1, :n2, :n3, :aid);
SELECT abalance /* controller='accounts',action='show',traceparent='00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' */ FROM pgbench_accounts WHERE aid = :aid;
SELECT a.aid, a.abalance, b.bbalance
  FROM pgbench_accounts a
  JOIN pgbench_branches b ON b.bid = a.bid
 WHERE a.aid = :aid;
