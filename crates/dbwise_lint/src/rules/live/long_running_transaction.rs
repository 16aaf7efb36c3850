use dbwise_diagnostics::{Category, Severity};

use super::duration;
use crate::live::LiveContext;
use crate::rule::{Check, OptionKind, Report, Rule, RuleMeta, RuleOption};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "long-running-transaction",
        category: Category::Live,
        severity: Severity::Warning,
        summary: "a transaction or query that has been running for longer than the limit",
        doc: "## What it finds
Sessions whose transaction has been open for longer than `seconds` while running a query
(sessions idle in their transaction are `idle-in-transaction`'s).

## Why it matters
A long transaction holds its locks and the xmin horizon for its whole length: vacuum cannot
remove rows that died after it began, on any table, and a DDL statement that needs a lock on
a table it touches waits behind it, with every query behind the DDL.

## Example
A report query over a whole year, or a batch job that updates millions of rows in one
transaction.

## Use instead
Run reports on a replica, split batch work into short transactions, and bound queries with
`statement_timeout` for the role:
```sql
ALTER ROLE reporting SET statement_timeout = '5min';
```
",
        options: &[RuleOption {
            name: "seconds",
            kind: OptionKind::Integer,
            default: "300",
            doc: "how long a transaction may run",
        }],
    },
    check: Check::Live(check),
};

fn check(ctx: &LiveContext, report: &mut Report) {
    let limit = ctx.option_int("seconds") as f64;
    for session in &ctx.live.sessions {
        if session.state.starts_with("idle") || session.state.is_empty() {
            continue;
        }
        let Some(age) = session.transaction_age.filter(|&age| age > limit) else {
            continue;
        };
        report.push(
            report
                .finding_on(
                    format!("session {}", session.pid),
                    format!(
                        "session {} ({}, application '{}') has had a transaction open for {}; it is running: {}",
                        session.pid,
                        session.user,
                        session.application,
                        duration(age),
                        session.query.trim()
                    ),
                )
                .why("it holds its locks and keeps vacuum from removing rows dead since it began, on every table")
                .help(format!(
                    "move long reads to a replica, split batch work into short transactions, and bound the role with statement_timeout; SELECT pg_cancel_backend({}); stops this query",
                    session.pid
                )),
        );
    }
}
