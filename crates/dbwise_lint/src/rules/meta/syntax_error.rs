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

pub fn findings(file: &ParsedFile, settings: &Settings) -> Vec<Finding> {
    file.errors
        .iter()
        .map(|error| {
            Finding::new(RULE.meta.id, RULE.meta.category, RULE.meta.severity, format!("PostgreSQL cannot parse this statement: {}", error.message))
                .at(&file.source, error.span)
                .why("The server will reject it, and dbwise cannot replay it: later findings may miss what it would have changed.")
                .help(format!(
                    "Fix the statement so that PostgreSQL {} accepts it; every other statement in this file was still analysed.",
                    settings.pg_version
                ))
        })
        .collect()
}
