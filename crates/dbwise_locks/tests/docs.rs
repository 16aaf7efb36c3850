//! `docs/lock-model.md` is generated from the lock model; this test fails when it drifts.
//! Regenerate with `DBWISE_UPDATE_DOCS=1 cargo test -p dbwise_locks --test docs`.

use std::path::PathBuf;

#[test]
fn lock_model_page_matches_the_table() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/lock-model.md");
    let expected = dbwise_locks::markdown();
    if std::env::var_os("DBWISE_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == expected,
        "docs/lock-model.md is out of date; run DBWISE_UPDATE_DOCS=1 cargo test -p dbwise_locks --test docs"
    );
}
