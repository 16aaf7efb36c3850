//! Differential: dbwise's front-end must cut a file into the statements PostgreSQL's own
//! grammar (libpg_query's split) sees, and must report a syntax error exactly when the
//! grammar rejects the file. `migrate trace` sends one statement per round trip on the strength
//! of this split, so a disagreement could run two statements where the user saw one.
#![no_main]

use dbwise_diagnostics::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // NUL ends the text for the C parser; a leading byte-order mark and psql meta-commands are
    // dbwise's own extensions (it skips them, the grammar does not).
    if text.contains('\0') || text.starts_with('\u{feff}') {
        return;
    }
    let parsed = dbwise_syntax::parse(&SourceFile::new("fuzz.sql", text));
    if !parsed.skipped.is_empty() {
        return;
    }
    let Ok(pieces) = pg_query::split_with_parser(text) else {
        assert!(
            !parsed.errors.is_empty(),
            "the grammar rejects the file but dbwise reports no syntax error: {text:?}"
        );
        return;
    };
    assert!(
        parsed.errors.is_empty(),
        "the grammar accepts the file but dbwise reports {:?}: {text:?}",
        parsed.errors
    );
    let ranges: Vec<(usize, usize)> = pieces
        .iter()
        .filter(|piece| !piece.trim().is_empty())
        .map(|piece| {
            let start = piece.as_ptr() as usize - text.as_ptr() as usize;
            (start, start + piece.len())
        })
        .collect();
    assert_eq!(
        parsed.statements.len(),
        ranges.len(),
        "statement count differs from the grammar's split {ranges:?}: {text:?}"
    );
    for (statement, &(start, end)) in parsed.statements.iter().zip(&ranges) {
        let span = statement.span.range();
        assert!(
            start <= span.start && span.end <= end,
            "statement {span:?} lies outside the grammar's {start}..{end}: {text:?}"
        );
    }
});
