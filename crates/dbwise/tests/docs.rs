//! `docs/rules/*.md` are generated from the rule registry; this test fails when they drift.
//! Regenerate with `DBWISE_UPDATE_DOCS=1 cargo test -p dbwise --test docs`.

use std::path::PathBuf;

#[test]
fn rule_docs_match_the_registry() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules");
    let update = std::env::var_os("DBWISE_UPDATE_DOCS").is_some();
    let mut expected: Vec<(String, String)> = dbwise_lint::rules::ALL
        .iter()
        .map(|r| (format!("{}.md", r.meta.id), dbwise_lint::rule_markdown(r)))
        .collect();
    expected.push(("README.md".into(), dbwise_lint::rules_index()));
    if update {
        std::fs::create_dir_all(&dir).unwrap();
        for entry in std::fs::read_dir(&dir).unwrap() {
            std::fs::remove_file(entry.unwrap().path()).unwrap();
        }
        for (name, text) in &expected {
            std::fs::write(dir.join(name), text).unwrap();
        }
    }
    let mut stale = Vec::new();
    for (name, text) in &expected {
        if std::fs::read_to_string(dir.join(name)).ok().as_deref() != Some(text.as_str()) {
            stale.push(name.clone());
        }
    }
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir).map_or_else(
        |_| Vec::new(),
        |d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        },
    );
    on_disk.retain(|name| !expected.iter().any(|(n, _)| n == name));
    assert!(
        stale.is_empty() && on_disk.is_empty(),
        "docs/rules is out of date (stale: {stale:?}, orphaned: {on_disk:?}); run DBWISE_UPDATE_DOCS=1 cargo test -p dbwise --test docs"
    );
}
