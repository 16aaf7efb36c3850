//! Any text through the front-end, the catalog replay and every rule: nothing may panic.
//! Inputs are split on a NUL-free marker into two files so cross-file replay is exercised too.
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
            parsed: dbwise_syntax::parse(&SourceFile::new(format!("{index}.sql"), part)),
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
