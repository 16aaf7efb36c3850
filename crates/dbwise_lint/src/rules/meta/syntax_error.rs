use dbwise_diagnostics::{Category, Finding, Severity};
use dbwise_syntax::ParsedFile;

use crate::rule::{Check, Rule, RuleMeta};
use crate::settings::Settings;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "syntax-error",
        category: Category::Syntax,
        severity: Severity::Error,
        summary: "a statement the PostgreSQL grammar rejects",
        doc: "## What it finds
A statement that libpg_query, which is PostgreSQL's own parser, cannot parse. The finding points
at the spot the parser stopped and quotes its message.

## Why it matters
PostgreSQL will reject the statement too, so the migration fails at that point. dbwise still
analyses every other statement of the file, but it cannot see what this one would have changed,
so findings that depend on it may be missing.

## Example
```sql
CREATE TABEL orders (id bigint);
```

## Use instead
```sql
CREATE TABLE orders (id bigint);
```

psql meta-commands (`\\set`, `\\i`, `\\connect`, ...) are not SQL. They are skipped and reported
as `psql-meta-command` notes, never as syntax errors.
",
        options: &[],
    },
    check: Check::Driver,
};

/// Characters that look like white space in an editor but are not white space to PostgreSQL.
const INVISIBLE: &[(&str, char)] = &[
    ("non-breaking space", '\u{a0}'),
    ("zero-width space", '\u{200b}'),
    ("narrow non-breaking space", '\u{202f}'),
    ("byte-order mark", '\u{feff}'),
];

pub fn findings(file: &ParsedFile, settings: &Settings) -> Vec<Finding> {
    file.errors
        .iter()
        .map(|error| {
            let mut message = format!("PostgreSQL cannot parse this statement: {}", error.message);
            // Invisible characters that look like spaces are letters to PostgreSQL's scanner.
            if let Some((name, code)) = INVISIBLE
                .iter()
                .find(|(_, c)| file.source.slice(error.span).contains(*c))
            {
                message.push_str(&format!(
                    " (it holds a {name}, U+{:04X}, which PostgreSQL reads as part of a name, not as white space)",
                    u32::from(*code)
                ));
            }
            Finding::new(RULE.meta.id, RULE.meta.category, RULE.meta.severity, message)
                .at(&file.source, error.span)
                .why("The server will reject it, and dbwise cannot replay it: later findings may miss what it would have changed.")
                .help(format!(
                    "Fix the statement so that PostgreSQL {} accepts it; every other statement in this file was still analysed.",
                    settings.pg_version
                ))
        })
        .collect()
}
