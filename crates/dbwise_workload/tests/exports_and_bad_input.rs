//! pg_stat_statements exports (a real one from PostgreSQL 15, and the column sets of 12 to
//! 18), SQL files, gzip input, and files that are cut, binary or not logs at all.

mod support;

use std::io::Write;
use std::path::Path;

use dbwise_workload::{Analyzer, InputFormat, Options, Workload};
use support::{analyze, collect_logs, shape, start};

fn analyze_text(dir: &Path, name: &str, text: &[u8]) -> Workload {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    analyze(&path, Options::default())
}

#[test]
fn a_real_pg_stat_statements_export_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let cluster = dbwise_pg::TempCluster::start(
        dbwise_pg::TempClusterOptions::default()
            .setting("shared_preload_libraries", "pg_stat_statements"),
    )
    .expect("start PostgreSQL with pg_stat_statements");
    let mut client = cluster.connect("postgres").unwrap();
    client
        .batch_execute("CREATE EXTENSION pg_stat_statements; CREATE TABLE t (id int, v text); SELECT pg_stat_statements_reset();")
        .unwrap();
    for id in 0..7 {
        client
            .simple_query(&format!("INSERT INTO t VALUES ({id}, 'v{id}')"))
            .unwrap();
    }
    for id in 0..4 {
        client
            .query("SELECT v FROM t WHERE id = $1", &[&id])
            .unwrap();
    }
    let mut export = Vec::new();
    let mut reader = client
        .copy_out(
            "COPY (SELECT s.*, r.rolname, d.datname FROM pg_stat_statements s
                   JOIN pg_roles r ON r.oid = s.userid JOIN pg_database d ON d.oid = s.dbid) TO STDOUT CSV HEADER",
        )
        .unwrap();
    std::io::Read::read_to_end(&mut reader, &mut export).unwrap();
    drop(reader);
    drop(cluster);

    let workload = analyze_text(dir.path(), "pg_stat_statements.csv", &export);
    assert_eq!(workload.files[0].format, InputFormat::PgStatStatements);
    assert_eq!(
        workload.files[0].skipped_lines, 0,
        "{:?}",
        workload.files[0].skipped
    );
    assert_eq!(shape(&workload, "INSERT INTO t VALUES ($1, $2)").calls, 7);
    let select = shape(&workload, "SELECT v FROM t WHERE id = $1");
    assert_eq!(select.calls, 4);
    assert_eq!(select.rows, Some(4));
    assert!(
        select.mean_ms.is_some() && select.p95_ms.is_none(),
        "an export has no per-call durations"
    );
    assert_eq!(select.users, vec!["postgres".to_string()]);
}

#[test]
fn export_columns_of_every_version_from_12_to_18_are_understood() {
    let dir = tempfile::tempdir().unwrap();
    // Only the columns that changed name matter; the rest of each header is abbreviated.
    let exports = [
        (
            "pg12",
            "userid,dbid,queryid,query,calls,total_time,min_time,max_time,mean_time,stddev_time,rows\n",
            "10,5,1,SELECT 1,4,8.0,1.0,3.0,2.0,0.5,4\n",
        ),
        (
            "pg13",
            "userid,dbid,queryid,query,plans,total_plan_time,calls,total_exec_time,min_exec_time,max_exec_time,mean_exec_time,rows,blk_read_time\n",
            "10,5,1,SELECT 1,4,2.0,4,6.0,1.0,3.0,1.5,4,0\n",
        ),
        (
            "pg17",
            "userid,dbid,toplevel,queryid,query,plans,total_plan_time,calls,total_exec_time,min_exec_time,max_exec_time,rows,shared_blk_read_time,stats_since\n",
            "10,5,t,1,SELECT 1,4,2.0,4,6.0,1.0,3.0,4,0,2026-01-01 00:00:00+00\n",
        ),
        (
            "pg18",
            "userid,dbid,toplevel,queryid,query,calls,total_exec_time,min_exec_time,max_exec_time,rows,wal_buffers_full,parallel_workers_to_launch,parallel_workers_launched\n",
            "10,5,t,1,SELECT 1,4,8.0,1.0,3.0,4,0,0,0\n",
        ),
    ];
    for (version, header, row) in exports {
        let workload = analyze_text(
            dir.path(),
            &format!("{version}.csv"),
            format!("{header}{row}").as_bytes(),
        );
        let q = shape(&workload, "SELECT $1");
        assert_eq!(
            (q.calls, q.total_ms, q.rows),
            (4, Some(8.0), Some(4)),
            "{version}"
        );
        assert_eq!((q.min_ms, q.max_ms), (Some(1.0), Some(3.0)), "{version}");
    }
    let bad = analyze(&dir.path().join("pg12.csv"), Options::default());
    assert_eq!(bad.files[0].skipped_lines, 0);
    // A statement of another role, whose text the exporting role may not read, is no shape.
    let hidden = analyze_text(
        dir.path(),
        "hidden.csv",
        format!(
            "{}{}10,5,2,<insufficient privilege>,9,5.0,1.0,1.0,1.0,0,9\n",
            exports[0].1, exports[0].2
        )
        .as_bytes(),
    );
    assert_eq!(hidden.files[0].skipped_lines, 1, "{:?}", hidden.files[0]);
    assert_eq!(hidden.shapes, 1);
    assert!(hidden.files[0].skipped[0].reason.contains("may not read"));
    let path = dir.path().join("not-pgss.csv");
    std::fs::write(&path, "query,calls\nSELECT 1,many\n").unwrap();
    let workload = analyze(&path, Options::default());
    assert_eq!(
        workload.files[0].skipped_lines, 1,
        "a row without a number of calls is skipped and shown"
    );
    let mut analyzer = Analyzer::new(Options {
        format: Some(InputFormat::PgStatStatements),
        ..Options::default()
    })
    .unwrap();
    std::fs::write(&path, "a,b\n1,2\n").unwrap();
    let error = analyzer.add_file(&path, &mut |_| {}).unwrap_err();
    assert!(error.to_string().contains("no `query` column"), "{error}");
}

#[test]
fn sql_files_are_weighted_and_checked_with_exact_positions() {
    let dir = tempfile::tempdir().unwrap();
    let sql = "-- calls: 120\nSELECT * FROM orders WHERE id = 1;\n\nDELETE FROM sessions;\nSELEC broken;\nSELECT id FROM orders WHERE id = 2;\n";
    let workload = analyze_text(dir.path(), "queries.sql", sql.as_bytes());
    assert_eq!(workload.files[0].format, InputFormat::Sql);
    assert_eq!(
        shape(&workload, "SELECT * FROM orders WHERE id = $1").calls,
        120
    );
    assert_eq!(
        shape(&workload, "SELECT id FROM orders WHERE id = $1").calls,
        1
    );
    assert_eq!(workload.files[0].skipped_lines, 1);
    assert_eq!(workload.files[0].skipped[0].line, 5);
    let found: Vec<(String, u32, u32)> = workload
        .findings
        .iter()
        .map(|f| {
            let at = f
                .finding
                .file
                .as_ref()
                .unwrap()
                .line_col(f.finding.span.start);
            (f.finding.rule.to_string(), at.line, at.column)
        })
        .collect();
    assert_eq!(
        found,
        vec![
            ("select-star".to_string(), 2, 8),
            ("unbounded-delete-or-update".to_string(), 4, 13)
        ]
    );
}

#[test]
fn gzip_logs_read_like_plain_ones_and_bad_input_never_stops_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let cluster = start("%m [%p] ");
    let mut client = cluster.connect("postgres").unwrap();
    for id in 0..5 {
        client
            .simple_query(&format!("SELECT relname FROM pg_class WHERE oid = {id}"))
            .unwrap();
    }
    let [stderr, ..] = collect_logs(&cluster, dir.path());
    drop(cluster);
    let plain = std::fs::read(&stderr).unwrap();

    let gz_path = dir.path().join("postgresql.log.gz");
    let mut encoder = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz_path).unwrap(),
        flate2::Compression::fast(),
    );
    encoder.write_all(&plain).unwrap();
    encoder.finish().unwrap();
    let from_plain = analyze(&stderr, Options::default());
    let from_gzip = analyze(&gz_path, Options::default());
    assert_eq!(
        shape(&from_gzip, "SELECT relname FROM pg_class WHERE oid = $1").calls,
        5
    );
    assert_eq!(from_plain.queries.len(), from_gzip.queries.len());
    assert_eq!(from_plain.files[0].lines, from_gzip.files[0].lines);

    // Cut in the middle of the last line, then binary garbage appended: the good part is read
    // (the cut line is still a message, with a shorter statement), the garbage is counted and
    // shown.
    let mut damaged = plain[..plain.len() - 7].to_vec();
    damaged.extend_from_slice(b"\n\x00\x01\x02\xff\xfe garbage\n\x7fELF\x02\x01\x01\n");
    let workload = analyze_text(dir.path(), "damaged.log", &damaged);
    assert_eq!(
        shape(&workload, "SELECT relname FROM pg_class WHERE oid = $1").calls,
        5
    );
    let file = &workload.files[0];
    assert_eq!(file.skipped_lines, 2, "{:#?}", file.skipped);
    assert!(
        file.skipped
            .iter()
            .all(|s| s.line > 1 && !s.hint.is_empty())
    );

    // Not a log at all: everything skipped, with a hint about the prefix or format.
    let random: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let workload = analyze_text(dir.path(), "random.log", &random);
    assert!(workload.queries.is_empty());
    assert!(workload.files[0].skipped_lines > 0);
    assert!(
        workload.files[0].skipped[0]
            .hint
            .contains("--log-line-prefix"),
        "{:?}",
        workload.files[0].skipped[0]
    );

    // A jsonlog cut mid-record.
    let workload = analyze_text(dir.path(), "cut.json", b"{\"timestamp\":\"2026-11-27 10:00:00.000 UTC\",\"error_severity\":\"LOG\",\"message\":\"statement: SELECT 1\"}\n{\"timestamp\":\"2026-11-2");
    assert_eq!(workload.total_calls, 1);
    assert_eq!(workload.files[0].skipped_lines, 1);
}

#[test]
fn oids_are_marked_as_oids_and_an_export_without_times_has_none() {
    let dir = tempfile::tempdir().unwrap();
    let by_oid = analyze_text(
        dir.path(),
        "oids.csv",
        b"userid,dbid,query,calls,total_exec_time,total_plan_time\n\
          10,16384,SELECT 1,5,2.5,0.5\n",
    );
    let select = shape(&by_oid, "SELECT $1");
    assert_eq!(select.users, ["oid 10"]);
    assert_eq!(select.databases, ["oid 16384"]);
    assert_eq!(select.total_ms, Some(3.0), "execution plus planning");

    let by_name = analyze_text(
        dir.path(),
        "names.csv",
        b"userid,rolname,dbid,datname,query,calls\n10,app,16384,shop,SELECT 1,5\n",
    );
    let select = shape(&by_name, "SELECT $1");
    assert_eq!(
        (select.users.as_slice(), select.databases.as_slice()),
        (&["app".to_owned()][..], &["shop".to_owned()][..])
    );
    assert_eq!(
        (select.calls, select.timed_calls, select.total_ms),
        (5, 0, None)
    );
    assert_eq!(by_name.total_ms, None);
}
