//! `dbwise model dynamodb` end to end: each fixture's design is created on moto's
//! DynamoDB-API server on localhost (installed by scripts/deps), its example items are put,
//! and every access pattern's request runs and returns the items the pattern should.

mod support;

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{dbwise, stderr, stdout};

/// A fixture's folder; the shop is the `examples/serverless-orders` project.
fn fixture(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    match name {
        "shop" => root.join("examples/serverless-orders"),
        _ => root.join("crates/dbwise_model/tests/fixtures").join(name),
    }
}

/// `dbwise model dynamodb` on the schema.sql and patterns.toml of `dir`.
fn run_model(dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "model",
        "dynamodb",
        "--schema",
        "schema.sql",
        "--patterns",
        "patterns.toml",
    ];
    args.extend_from_slice(extra);
    dbwise(dir, &args)
}

fn design(name: &str) -> Value {
    let output = run_model(&fixture(name), &["--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    serde_json::from_str(&stdout(&output)).unwrap()
}

/// moto's server on a free localhost port, stopped when dropped (a failing test too).
struct Moto {
    child: Child,
    port: u16,
}

impl Moto {
    fn start() -> Moto {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        // scripts/deps installs moto in target/moto, a virtual environment of its own.
        let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/moto/bin/python");
        let child = Command::new(&python)
            .args([
                "-m",
                "moto.server",
                "-H",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "{}: {e}; scripts/deps installs moto[server] there",
                    python.display()
                )
            });
        let moto = Moto { child, port };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "moto's server did not listen; install it with scripts/deps"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        moto
    }

    /// One DynamoDB API call: the HTTP status and the JSON answer.
    fn call(&self, operation: &str, input: &Value) -> (u16, Value) {
        let body = input.to_string();
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            stream,
            "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: DynamoDB_20120810.{operation}\r\n\
             Content-Type: application/x-amz-json-1.0\r\n\
             Authorization: AWS4-HMAC-SHA256 Credential=dbwise/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, serde_json::from_str(body).unwrap_or(Value::Null))
    }

    fn ok(&self, operation: &str, input: &Value) -> Value {
        let (status, answer) = self.call(operation, input);
        assert_eq!(status, 200, "{operation} {input}: {answer}");
        answer
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn key(item: &Value) -> (String, String) {
    (
        item["PK"]["S"].as_str().unwrap_or_default().to_string(),
        item["SK"]["S"].as_str().unwrap_or_default().to_string(),
    )
}

/// Create the design's table, put its items, run every read and check what it returns, then
/// run every write.
fn run_on_moto(moto: &Moto, design: &Value) {
    moto.ok("CreateTable", &design["create_table"]);
    let table = design["create_table"]["TableName"].as_str().unwrap();
    for item in design["example_items"].as_array().unwrap() {
        moto.ok("PutItem", &json!({ "TableName": table, "Item": item }));
    }
    let patterns = design["access_patterns"].as_array().unwrap();
    let is_read = |p: &&Value| {
        matches!(
            p["request"]["operation"].as_str(),
            Some("GetItem" | "Query" | "BatchGetItem")
        )
    };
    for pattern in patterns.iter().filter(is_read) {
        let name = pattern["name"].as_str().unwrap();
        let operation = pattern["request"]["operation"].as_str().unwrap();
        let input = &pattern["request"]["input"];
        let answer = moto.ok(operation, input);
        let items: Vec<Value> = match operation {
            "GetItem" => answer.get("Item").cloned().into_iter().collect(),
            "Query" => answer["Items"].as_array().unwrap().clone(),
            _ => answer["Responses"][table].as_array().unwrap().clone(),
        };
        let got: Vec<(String, String)> = items.iter().map(key).collect();
        let want: Vec<(String, String)> = pattern["returns"]
            .as_array()
            .unwrap()
            .iter()
            .map(key)
            .collect();
        assert!(!want.is_empty(), "{name}: the example items answer nothing");
        if input.get("Limit").is_some() || input.get("ScanIndexForward").is_some() {
            assert_eq!(got, want, "{name}: {input}");
        } else {
            let got: BTreeSet<_> = got.into_iter().collect();
            let want: BTreeSet<_> = want.into_iter().collect();
            assert_eq!(got, want, "{name}: {input}");
        }
    }
    for pattern in patterns.iter().filter(|p| !is_read(p)) {
        let operation = pattern["request"]["operation"].as_str().unwrap();
        moto.ok(operation, &pattern["request"]["input"]);
    }
}

/// The entity chart row of an entity: attribute → template.
fn chart<'d>(design: &'d Value, entity: &str) -> Vec<(&'d str, &'d str)> {
    design["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["entity"] == entity)
        .unwrap_or_else(|| panic!("no chart row for {entity}"))["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| (pair[0].as_str().unwrap(), pair[1].as_str().unwrap()))
        .collect()
}

fn operation<'d>(design: &'d Value, pattern: &str) -> (&'d str, &'d str) {
    let p = design["access_patterns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == pattern)
        .unwrap();
    (
        p["request"]["operation"].as_str().unwrap(),
        p["index"].as_str().unwrap(),
    )
}

/// What every design keeps: every pattern served, and none by a Scan.
fn common_decisions(design: &Value) {
    for pattern in design["access_patterns"].as_array().unwrap() {
        let operation = pattern["request"]["operation"].as_str();
        assert!(operation.is_some(), "not served: {pattern}");
        assert_ne!(operation, Some("Scan"));
    }
}

#[test]
fn designs_run_on_a_dynamodb_api_server() {
    let moto = Moto::start();
    for name in ["shop", "chat", "saas"] {
        let design = design(name);
        common_decisions(&design);
        run_on_moto(&moto, &design);
    }
}

#[test]
fn shop_keeps_collections_uniqueness_and_a_sparse_queue() {
    let design = design("shop");
    // Bounded children read with their parent live in its partition.
    assert_eq!(
        chart(&design, "ADDRESS")[..2],
        [("PK", "CUSTOMER#<customer_id>"), ("SK", "ADDRESS#<id>")]
    );
    assert_eq!(
        chart(&design, "ORDER")[..2],
        [
            ("PK", "CUSTOMER#<customer_id>"),
            ("SK", "ORDER#<placed_at>#<id>")
        ]
    );
    assert_eq!(
        operation(&design, "customer with addresses"),
        ("Query", "table")
    );
    assert_eq!(operation(&design, "customer by id"), ("GetItem", "table"));
    // Orders cannot also be keyed by id on the table: that conflict is reported.
    let conflicts = design["conflicts"].to_string();
    assert!(conflicts.contains("`order by id`"), "{conflicts}");
    // The unique email and sku keep uniqueness items, written in a transaction.
    assert_eq!(
        chart(&design, "CUSTOMER_UNIQUE"),
        [
            ("PK", "CUSTOMER#EMAIL#<email>"),
            ("SK", "CUSTOMER#EMAIL#<email>")
        ]
    );
    assert!(chart(&design, "PRODUCT_UNIQUE")[0].1.contains("SKU"));
    assert_eq!(operation(&design, "sign up").0, "TransactWriteItems");
    assert_eq!(operation(&design, "change email").0, "TransactWriteItems");
    // The pending queue is a sparse index.
    let order = chart(&design, "ORDER");
    assert!(
        order
            .iter()
            .any(|(_, t)| *t == "ORDER#STATUS#pending (only when status = pending)"),
        "{order:?}"
    );
    // The cascade of a deleted customer cannot be one transaction.
    let warnings = design["warnings"].to_string();
    assert!(
        warnings.contains("`close account` deletes up to"),
        "{warnings}"
    );
}

/// `dbwise model dynamodb` on a schema and a patterns file written to `dir`.
fn model_in(dir: &Path, schema: &str, patterns: &str) -> std::process::Output {
    support::write(dir, "schema.sql", schema);
    support::write(dir, "patterns.toml", patterns);
    run_model(dir, &[])
}

#[test]
fn a_bad_patterns_file_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let schema = "CREATE TABLE t (id int PRIMARY KEY);";
    let rate = "[[pattern]]\nname = \"a\"\nsql = \"SELECT * FROM t WHERE id = $1\"\nper_second = \"often\"\n";
    let output = model_in(dir.path(), schema, rate);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("patterns.toml:4:"),
        "{}",
        stderr(&output)
    );
    let sql = "[[pattern]]\nname = \"a\"\nsql = \"SELEC * FROM t\"\nper_second = 1\n";
    let output = model_in(dir.path(), schema, sql);
    assert_eq!(output.status.code(), Some(2));
    let expected = "patterns.toml:3: pattern `a`: the SQL does not parse";
    assert!(stderr(&output).contains(expected), "{}", stderr(&output));
}

#[test]
fn a_pattern_no_key_serves_exits_1_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let output = model_in(
        dir.path(),
        "CREATE TABLE t (id int PRIMARY KEY, name text);",
        "[[pattern]]\nname = \"fuzzy\"\nsql = \"SELECT * FROM t WHERE name LIKE $1\"\nper_second = 1\n",
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("fuzzy (1/s): NOT SERVED"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn chat_keeps_messages_by_time_and_shards_the_busiest_room() {
    let design = design("chat");
    assert_eq!(
        chart(&design, "MESSAGE")[..2],
        [("PK", "ROOM#<room_id>"), ("SK", "MESSAGE#<sent_at>#<id>")]
    );
    assert_eq!(operation(&design, "room with members"), ("Query", "table"));
    assert_eq!(operation(&design, "rooms of a user"), ("Query", "GSI1"));
    let warnings = design["warnings"].to_string();
    assert!(
        warnings.contains("`post message` writes about 1200 WCU/s") && warnings.contains("shard"),
        "{warnings}"
    );
}

#[test]
fn saas_keys_by_tenant_and_warns_of_strong_reads_on_an_index() {
    let design = design("saas");
    assert_eq!(chart(&design, "USER")[0], ("PK", "TENANT#<tenant_id>"));
    assert_eq!(chart(&design, "PROJECT")[0], ("PK", "TENANT#<tenant_id>"));
    assert_eq!(operation(&design, "login"), ("Query", "GSI1"));
    assert!(
        design["warnings"]
            .to_string()
            .contains("`login` asks for strong consistency")
    );
    assert_eq!(operation(&design, "invite user").0, "TransactWriteItems");
}

#[test]
fn conditions_no_key_can_carry_are_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let schema = "CREATE TABLE p (id int PRIMARY KEY, status text);\n\
                  CREATE TABLE c (id int PRIMARY KEY, p_id int REFERENCES p (id), city text);";
    let patterns = "[[pattern]]\nname = \"in\"\nsql = \"SELECT * FROM p WHERE status IN ('a', 'b')\"\nper_second = 1\n\
                    [[pattern]]\nname = \"join\"\nsql = \"SELECT * FROM p JOIN c ON c.p_id = p.id WHERE p.id = $1 AND c.city = 'x'\"\nper_second = 1\n";
    let output = model_in(dir.path(), schema, patterns);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.contains("in (1/s): NOT SERVED\n    its IN list on `status`"),
        "{text}"
    );
    assert!(
        text.contains("join (1/s): NOT SERVED\n    a join is served when"),
        "{text}"
    );
}
