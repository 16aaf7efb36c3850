//! The literal pre-normaliser must never merge statements that libpg_query tells apart: two
//! statements with the same cache key must have the same fingerprint. Checked on every
//! statement of the real-world SQL corpus in `../shared/corpus` (skipped with a notice when it
//! is absent), and on each statement with its literals changed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use dbwise_workload::readers::sqlfile;
use dbwise_workload::scan;

fn sql_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            sql_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "sql") {
            out.push(path);
        }
    }
}

/// The statement with every digit run not inside an identifier bumped by one, so literals
/// change while the key must stay the same.
fn with_other_literals(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut previous = ' ';
    for c in sql.chars() {
        if c.is_ascii_digit() && !(previous.is_alphanumeric() || previous == '_' || previous == '$')
        {
            out.push(if c == '9' {
                '8'
            } else {
                char::from(c as u8 + 1)
            });
        } else {
            out.push(c);
        }
        previous = if c.is_ascii_digit() && !previous.is_alphanumeric() {
            ' '
        } else {
            c
        };
    }
    out
}

#[test]
fn keys_never_merge_statements_with_different_fingerprints() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if !corpus.is_dir() {
        eprintln!(
            "skipped: the SQL corpus ({}) is not present",
            corpus.display()
        );
        return;
    }
    let mut files = Vec::new();
    sql_files(&corpus, &mut files);
    files.retain(|f| !f.to_string_lossy().contains("mysql"));
    assert!(
        files.len() > 100,
        "expected the PostgreSQL corpus, found {} files",
        files.len()
    );

    let mut by_key: HashMap<String, (u64, String)> = HashMap::new();
    let mut key = String::new();
    let mut checked = 0;
    let mut conflicts = Vec::new();
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        for statement in sqlfile::statements(&text) {
            for variant in [statement.text.clone(), with_other_literals(&statement.text)] {
                let Ok(fingerprint) = dbwise_syntax::tree::fingerprint(&variant) else {
                    continue;
                };
                scan::normalize_into(&variant, &mut key);
                checked += 1;
                match by_key.get(&key) {
                    Some((seen, example)) if *seen != fingerprint => {
                        conflicts.push(format!("{}\n  {example}\n  {variant}", file.display()));
                    }
                    Some(_) => {}
                    None => {
                        by_key.insert(key.clone(), (fingerprint, variant));
                    }
                }
            }
        }
    }
    assert!(checked > 10_000, "only {checked} statements checked");
    assert!(
        conflicts.is_empty(),
        "{} conflicts, first ones:\n{}",
        conflicts.len(),
        conflicts[..conflicts.len().min(5)].join("\n")
    );
}
