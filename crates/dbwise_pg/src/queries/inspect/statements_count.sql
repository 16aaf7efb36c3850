-- How many statements pg_stat_statements holds for this database, and how many of the heaviest
-- (by total time, up to dbwise's limit) fit, texts together, in dbwise's cap on the bytes it
-- reads, so that one huge query text cannot make the read unbounded. dbwise fills in the
-- extension's schema, the total time, the limit and the cap between braces.
SELECT
    (SELECT count(*)
     FROM {schema}.pg_stat_statements s
     JOIN pg_catalog.pg_database d ON d.oid = s.dbid
     WHERE d.datname = pg_catalog.current_database()) AS statements,
    (SELECT count(*)
     FROM (
         SELECT sum(octet_length(s.query)) OVER (
                    ORDER BY {total} DESC, s.userid, s.queryid ROWS UNBOUNDED PRECEDING
                ) AS running
         FROM {schema}.pg_stat_statements s
         JOIN pg_catalog.pg_database d ON d.oid = s.dbid
         WHERE d.datname = pg_catalog.current_database()
         ORDER BY {total} DESC, s.userid, s.queryid
         LIMIT {limit}
     ) heaviest
     WHERE running <= {bytes}) AS fitting
