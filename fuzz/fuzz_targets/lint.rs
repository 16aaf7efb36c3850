//! Any text through the front-end, the catalog replay and every rule: nothing may panic.
//! Inputs are split on a NUL-free marker into two files so cross-file replay is exercised too.
//! Each file is also parsed in small parts, as a large dump is: when neither way meets a syntax
//! error, the parts hold exactly the whole parse's statements. The second file has its template
//! placeholders filled first, as a migration file has: filling them keeps every position.
#![no_main]

use dbwise_catalog::migrations::TransactionMode;
use dbwise_diagnostics::SourceFile;
use dbwise_lint::{Settings, Unit, UnitInfo};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let units: Vec<Unit> = text
        .splitn(3, "\n-- next file\n")
        .enumerate()
        .map(|(index, part)| Unit {
            parsed: parsed_both_ways(&SourceFile::new(format!("{index}.sql"), filled(index, part))),
            info: UnitInfo {
                index,
                framework: None,
                transaction: if index == 0 { TransactionMode::None } else { TransactionMode::Wrapped },
                scratch: false,
                day: None,
            },
        })
        .collect();
    let outcome = dbwise_lint::lint(units, &Settings::default());
    for finding in &outcome.findings {
        if let Some(file) = &finding.file {
            let _ = file.line_col(finding.span.end);
            assert!(finding.span.end as usize <= file.text().len(), "span past the end of {}", file.path());
        }
    }
});

/// The second file with its template placeholders filled in, checked to keep its length and lines.
fn filled(index: usize, part: &str) -> String {
    let mut text = part.to_owned();
    if index == 1 {
        dbwise_catalog::templates::fill_placeholders(&mut text);
        assert_eq!(text.len(), part.len(), "filling changed the length of {part:?}");
        assert_eq!(text.lines().count(), part.lines().count(), "filling changed the lines of {part:?}");
    }
    text
}

/// The whole parse of `source`, checked against a parse in 64-byte parts.
fn parsed_both_ways(source: &SourceFile) -> dbwise_syntax::ParsedFile {
    let whole = dbwise_syntax::parse(source);
    let parts: Vec<_> = dbwise_syntax::parse_in_parts(source, 64).collect();
    if whole.errors.is_empty() && parts.iter().all(|p| p.errors.is_empty()) {
        let in_parts: Vec<_> = parts.iter().flat_map(|p| p.statements.iter().map(|s| s.span)).collect();
        let at_once: Vec<_> = whole.statements.iter().map(|s| s.span).collect();
        assert_eq!(in_parts, at_once, "parts disagree with the whole parse of {:?}", source.text());
    }
    whole
}
