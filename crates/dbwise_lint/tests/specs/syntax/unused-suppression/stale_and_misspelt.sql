-- expect: unused-suppression x1
-- A suppression of a rule that is not running (only this rule runs here) is not judged; a misspelt id always is.
-- dbwise-ignore timestamp-without-time-zone: not judged in this fixture
CREATE TABLE t (id bigint, at timestamptz);
-- dbwise-ignore-file foreign-key-without-indx
