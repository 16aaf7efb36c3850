-- expect: none
-- Queries of ordinary size go through the query checks; the note is for statements over 1 MiB
-- (a generated million-value IN list, tested end to end in crates/dbwise/tests/lint_cli.rs).
CREATE TABLE t (id bigint PRIMARY KEY, note text);
SELECT id FROM t WHERE id IN (1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
DELETE FROM t WHERE id IN (11, 12, 13);
