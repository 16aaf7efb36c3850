-- expect: none
-- A backslash inside a string is not a meta-command.
SELECT E'\\set', '\i not a command';
