//! `dbwise_pg::inspect` on a throwaway cluster: the index definitions it writes itself for
//! plain indexes are pg_get_indexdef's, word for word, and generated columns keep their
//! generation expression.

use dbwise_pg::{InspectOptions, TempCluster, TempClusterOptions, inspect};

const SCHEMA: &str = r#"
CREATE SCHEMA "Sales";
CREATE TABLE "Sales"."Order Lines" (
    id bigint PRIMARY KEY,
    "Customer" text NOT NULL,
    code varchar(20),
    label text COLLATE "C",
    placed_at timestamptz,
    tags int[],
    total numeric,
    doubled numeric GENERATED ALWAYS AS (total * 2) STORED
);
CREATE INDEX plain_one ON "Sales"."Order Lines" ("Customer");
CREATE INDEX plain_two ON "Sales"."Order Lines" ("Customer", placed_at);
CREATE INDEX with_include ON "Sales"."Order Lines" (placed_at) INCLUDE (total, "Customer");
CREATE INDEX partial ON "Sales"."Order Lines" (placed_at) WHERE total > 100 AND code IS NOT NULL;
CREATE INDEX by_hash ON "Sales"."Order Lines" USING hash (code);
CREATE INDEX by_gin ON "Sales"."Order Lines" USING gin (tags);
CREATE INDEX descending ON "Sales"."Order Lines" (placed_at DESC NULLS LAST);
CREATE INDEX nulls_first ON "Sales"."Order Lines" (placed_at NULLS FIRST);
CREATE INDEX coerced ON "Sales"."Order Lines" (code);
CREATE INDEX pattern ON "Sales"."Order Lines" ("Customer" text_pattern_ops);
CREATE INDEX collated ON "Sales"."Order Lines" ("Customer" COLLATE "C");
CREATE INDEX own_collation ON "Sales"."Order Lines" (label);
CREATE INDEX expression ON "Sales"."Order Lines" (lower("Customer"));
CREATE INDEX with_storage ON "Sales"."Order Lines" (total) WITH (fillfactor = 70);
CREATE UNIQUE INDEX unique_code ON "Sales"."Order Lines" (code);
CREATE TABLE events (id bigint, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX events_at ON events (at);
"#;

#[test]
fn index_definitions_match_pg_get_indexdef() {
    let cluster = TempCluster::start(TempClusterOptions::default()).unwrap();
    let mut client = cluster.create_database("shop").unwrap();
    client.batch_execute(SCHEMA).unwrap();
    let inspection = inspect(&cluster.url("shop"), &InspectOptions::default()).unwrap();
    // pg_get_indexdef qualifies the names the search_path does not show; inspect's is empty.
    client.batch_execute("SET search_path = ''").unwrap();

    let mut compared = 0;
    for index in &inspection.live.indexes {
        if index.constraint {
            continue;
        }
        let expected: String = client
            .query_one(
                "SELECT pg_get_indexdef(format('%I.%I', $1::text, $2::text)::regclass)",
                &[&index.schema, &index.name],
            )
            .unwrap()
            .get(0);
        assert_eq!(
            index.definition, expected,
            "{}.{}",
            index.schema, index.name
        );
        compared += 1;
    }
    // The fifteen indexes above, the partition's part of events_at and unique_code.
    assert!(compared >= 16, "only {compared} indexes compared");
    assert!(
        inspection
            .schema
            .ddl
            .contains("doubled numeric GENERATED ALWAYS AS ((total * (2)::numeric)) STORED"),
        "{}",
        inspection.schema.ddl
    );
}

/// The statements read from pg_stat_statements stop where their texts, heaviest first, pass
/// the byte cap, and a note says so: one huge generated query cannot make the read unbounded.
#[test]
fn statement_texts_are_read_up_to_the_byte_cap() {
    let cluster = TempCluster::start(
        TempClusterOptions::default().setting("shared_preload_libraries", "pg_stat_statements"),
    )
    .unwrap();
    let mut client = cluster.create_database("shop").unwrap();
    client
        .batch_execute("CREATE EXTENSION pg_stat_statements; CREATE TABLE t (a int, b int, c int);")
        .unwrap();
    for query in [
        "SELECT a FROM t WHERE a = 1",
        "SELECT b FROM t WHERE b = 1",
        "SELECT c FROM t WHERE c = 1",
    ] {
        client.batch_execute(query).unwrap();
    }
    let all = inspect(&cluster.url("shop"), &InspectOptions::default()).unwrap();
    let read_all = all.statements.as_ref().unwrap();
    assert!(read_all.limit >= 3, "{}", read_all.limit);
    let capped = InspectOptions {
        statement_bytes: 60,
        ..InspectOptions::default()
    };
    let some = inspect(&cluster.url("shop"), &capped).unwrap();
    let read_some = some.statements.as_ref().unwrap();
    assert!(
        read_some.limit < read_all.limit,
        "{} of {}",
        read_some.limit,
        read_all.limit
    );
    let csv = String::from_utf8_lossy(&read_some.csv);
    assert_eq!(csv.lines().count(), read_some.limit + 1, "{csv}");
    assert!(
        some.live
            .unreadable
            .iter()
            .any(|note| note.contains("fill the 60 bytes dbwise reads at most")),
        "{:?}",
        some.live.unreadable
    );
}
