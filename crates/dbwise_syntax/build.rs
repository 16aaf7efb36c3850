//! Rust declarations of libpg_query's raw parse-tree structs, so the front-end can read the
//! tree PostgreSQL's grammar builds instead of a protobuf copy of it.
//!
//! The headers are taken from the very `pg_query` crate this crate links, found through
//! `cargo metadata`, so the struct layouts always match the compiled library.

use std::collections::BTreeMap;
use std::env;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use bindgen::callbacks::{EnumVariantValue, ParseCallbacks};

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let libpg_query = pg_query_source().join("libpg_query");
    let include = [
        libpg_query.clone(),
        libpg_query.join("src"),
        libpg_query.join("src/include"),
        libpg_query.join("src/postgres/include"),
    ];
    let header = manifest_dir.join("src/nodes.h");
    println!("cargo:rerun-if-changed={}", header.display());
    let variants = Arc::new(Mutex::new(Variants::new()));
    let mut builder = bindgen::Builder::default()
        .header(header.to_string_lossy())
        .allowlist_type("NodeTag")
        .allowlist_type("RawStmt")
        .allowlist_type("List")
        .allowlist_type("PgQueryInternalParsetreeAndError")
        .allowlist_type("PgQueryProtobufParseResult")
        .allowlist_type("MemoryContext")
        // C enums become integer new-types with a constant per value: a tag or kind this
        // code has never heard of is then just another value, where a Rust enum would be
        // undefined behaviour.
        .default_enum_style(bindgen::EnumVariation::NewType {
            is_bitfield: false,
            is_global: false,
        })
        .parse_callbacks(Box::new(VariantNames(Arc::clone(&variants))))
        .derive_debug(true)
        .derive_default(false)
        .layout_tests(false)
        .generate_comments(false);
    let nodes = node_structs(&manifest_dir);
    assert!(!nodes.is_empty(), "no node structs found in src/raw.rs");
    for node in &nodes {
        builder = builder.allowlist_type(node);
    }
    for dir in &include {
        builder = builder.clang_arg(format!("-I{}", dir.display()));
    }
    let mut bindings = builder
        .generate()
        .unwrap_or_else(|e| panic!("bindgen could not read libpg_query's headers: {e}"))
        .to_string();
    let variants = variants.lock().unwrap_or_else(|e| e.into_inner());
    bindings.push_str(&name_functions(&bindings, &variants));
    let out = PathBuf::from(env::var("OUT_DIR").expect("set by cargo")).join("nodes.rs");
    std::fs::write(&out, bindings)
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
}

/// The values of every C enum bindgen read, by enum name, each with its first C name.
type Variants = BTreeMap<String, BTreeMap<i128, String>>;

/// Records the C names of enum values as bindgen reads them.
#[derive(Debug)]
struct VariantNames(Arc<Mutex<Variants>>);

impl ParseCallbacks for VariantNames {
    fn enum_variant_name(
        &self,
        enum_name: Option<&str>,
        variant: &str,
        value: EnumVariantValue,
    ) -> Option<String> {
        let value = match value {
            EnumVariantValue::Boolean(b) => i128::from(b),
            EnumVariantValue::Signed(v) => i128::from(v),
            EnumVariantValue::Unsigned(v) => i128::from(v),
        };
        if let Some(name) = enum_name {
            let name = name.trim_start_matches("enum ").to_owned();
            let mut variants = self.0.lock().unwrap_or_else(|e| e.into_inner());
            variants
                .entry(name)
                .or_default()
                .entry(value)
                .or_insert_with(|| variant.to_owned());
        }
        None
    }
}

/// `impl E { fn name(self) -> Option<&'static str> }` for every enum new-type in `bindings`:
/// the C spelling of a value, which the new-types' `Debug` (a bare number) does not give.
fn name_functions(bindings: &str, variants: &Variants) -> String {
    let mut code = String::new();
    for (name, values) in variants {
        if !bindings.contains(&format!("pub struct {name}(pub ")) {
            continue;
        }
        let _ = writeln!(
            code,
            "impl {name} {{\n    pub fn name(self) -> Option<&'static str> {{\n        \
             match self.0 {{"
        );
        for (value, variant) in values {
            let _ = writeln!(code, "            {value} => Some({variant:?}),");
        }
        code.push_str("            _ => None,\n        }\n    }\n}\n");
    }
    code
}

/// The node structs the lowering reads: the struct of every `T_Tag => Variant(Struct)` line of
/// the `nodes!` table in `src/raw.rs`, so the table is the one list of them.
fn node_structs(manifest_dir: &Path) -> Vec<String> {
    let raw = manifest_dir.join("src/raw.rs");
    println!("cargo:rerun-if-changed={}", raw.display());
    let text = std::fs::read_to_string(&raw)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", raw.display()));
    text.lines()
        .filter_map(|line| {
            let (tag, view) = line.trim().split_once(" => ")?;
            let (_, rest) = view.split_once('(')?;
            let name = rest.strip_suffix("),")?;
            (tag.starts_with("T_") && name.chars().all(|c| c.is_alphanumeric() || c == '_'))
                .then(|| name.to_owned())
        })
        .collect()
}
/// The source folder of the `pg_query` package in this build's dependency graph.
///
/// `cargo metadata` reads the manifests of the whole workspace graph. It is tried offline first;
/// on a fresh machine a build of one crate has not downloaded the others (test-only
/// dependencies, say), so it is then run again with the registry reachable.
fn pg_query_source() -> PathBuf {
    let output = match metadata(true) {
        Ok(output) if output.status.success() => output,
        failed => {
            // Said aloud: the second try may reach the network for the crate index.
            let why = match failed {
                Ok(output) => String::from_utf8_lossy(&output.stderr).trim().to_owned(),
                Err(e) => e.to_string(),
            };
            println!(
                "cargo:warning=`cargo metadata --offline` could not locate the pg_query headers ({}); trying again online, which may download the crate index",
                why.lines().next().unwrap_or("no reason given")
            );
            match metadata(false) {
                Ok(output) if output.status.success() => output,
                Ok(output) => panic!(
                    "`cargo metadata` failed; the pg_query headers cannot be located:\n{}",
                    String::from_utf8_lossy(&output.stderr)
                ),
                Err(e) => panic!("cannot run `cargo metadata`: {e}"),
            }
        }
    };
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON");
    let manifest_path = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["name"] == "pg_query")
        .and_then(|p| p["manifest_path"].as_str())
        .expect("pg_query is a dependency of dbwise_syntax");
    let dir = PathBuf::from(manifest_path)
        .parent()
        .expect("a manifest path has a parent")
        .to_path_buf();
    println!(
        "cargo:rerun-if-changed={}",
        dir.join("Cargo.toml").display()
    );
    dir
}

fn metadata(offline: bool) -> std::io::Result<std::process::Output> {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = env::var("TARGET").expect("set by cargo");
    let mut command = Command::new(cargo);
    command
        .args(["metadata", "--format-version", "1", "--locked"])
        .args(["--filter-platform", &target, "--manifest-path"])
        .arg(manifest.join("Cargo.toml"));
    if offline {
        command.arg("--offline");
    }
    command.output()
}
