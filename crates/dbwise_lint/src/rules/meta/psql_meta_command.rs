use dbwise_diagnostics::{Category, Finding, Severity, Span};
use dbwise_syntax::{ParsedFile, Skipped};

use crate::rule::{Check, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "psql-meta-command",
        category: Category::Syntax,
        severity: Severity::Info,
        summary: "psql meta-commands that dbwise skipped",
        doc: "## What it finds
Lines that start a psql meta-command, such as `\\set ON_ERROR_STOP 1`, `\\i other.sql` or
`\\connect db`. They are instructions to the psql client, not SQL, so dbwise skips them. One note
per file lists what was skipped.

## Why it matters
A skipped `\\i` means the included file was not analysed unless you pass it too, and a skipped
`\\connect` means the statements after it may run in another database.

## Example
```sql
\\set ON_ERROR_STOP 1
BEGIN;
```

## Use instead
Nothing to change: the note is there so you know what dbwise did not read. Pass included files
explicitly if they should be linted.
",
        options: &[],
    },
    check: Check::Driver,
};

pub fn findings(file: &ParsedFile) -> Vec<Finding> {
    let commands: Vec<Span> = file
        .skipped
        .iter()
        .filter_map(|s| match s {
            Skipped::MetaCommand(span) => Some(*span),
            Skipped::CopyData(_) => None,
        })
        .collect();
    let Some(&first) = commands.first() else {
        return Vec::new();
    };
    let mut names: Vec<&str> = commands
        .iter()
        .map(|s| {
            file.source
                .slice(*s)
                .split_whitespace()
                .next()
                .unwrap_or("\\")
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    let count = commands.len();
    let plural = if count == 1 { "" } else { "s" };
    vec![
        Finding::new(RULE.meta.id, RULE.meta.category, RULE.meta.severity, format!("skipped {count} psql meta-command{plural} ({})", names.join(", ")))
            .at(&file.source, first)
            .why("psql meta-commands are client instructions, not SQL; dbwise analyses the SQL around them.")
            .help("Nothing to change; pass files pulled in with \\i or \\ir on the command line if they should be linted."),
    ]
}
