use dbwise_diagnostics::{Category, Severity};

use super::duration;
use crate::live::LiveContext;
use crate::rule::{Check, OptionKind, Report, Rule, RuleMeta, RuleOption};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "idle-in-transaction",
        category: Category::Live,
        severity: Severity::Warning,
        summary: "a session that opened a transaction and has waited, doing nothing, for longer than the limit",
        doc: "## What it finds
Sessions in `pg_stat_activity` whose state has been `idle in transaction` (or `idle in
transaction (aborted)`) for longer than `idle-seconds`. Other roles' sessions are visible
only with `pg_read_all_stats` (part of `pg_monitor`); without it they are counted in a note.

## Why it matters
The open transaction keeps every lock it took, so DDL and anything queued behind it waits;
and it holds back the xmin horizon, so vacuum cannot remove the rows dead since it began, on
every table. The usual cause is application code that begins a transaction and then waits on
something else (an HTTP call, a user), or a connection pool that hands out a connection with
a transaction left open.

## Example
`BEGIN; SELECT ... FOR UPDATE;` then a call to a payment API before `COMMIT`.

## Use instead
Keep transactions around database work only, and let the server end the ones that are
forgotten:
```sql
ALTER DATABASE shop SET idle_in_transaction_session_timeout = '60s';
SELECT pg_terminate_backend(12345);  -- the session found
```
",
        options: &[RuleOption {
            name: "idle-seconds",
            kind: OptionKind::Integer,
            default: "30",
            doc: "how long a session may sit idle in a transaction",
        }],
    },
    check: Check::Live(check),
};

fn check(ctx: &LiveContext, report: &mut Report) {
    let limit = ctx.option_int("idle-seconds") as f64;
    for session in &ctx.live.sessions {
        if !session.state.starts_with("idle in transaction") {
            continue;
        }
        let Some(idle) = session.state_age.filter(|&age| age > limit) else {
            continue;
        };
        let database = dbwise_syntax::ast::quote_ident(&ctx.live.database);
        let sql = vec![
            format!("ALTER DATABASE {database} SET idle_in_transaction_session_timeout = '60s';"),
            format!("SELECT pg_terminate_backend({});", session.pid),
        ];
        report.push(
            report
                .finding_on(
                    format!("session {}", session.pid),
                    format!(
                        "session {} ({}, application '{}') has been {} for {}, in a transaction open for {}",
                        session.pid,
                        session.user,
                        session.application,
                        session.state,
                        duration(idle),
                        duration(session.transaction_age.unwrap_or(idle)),
                    ),
                )
                .why(format!(
                    "its transaction keeps its locks, so DDL and whatever queues behind it waits, and stops vacuum from removing rows dead since it began; its last statement: {}",
                    session.query.trim()
                ))
                .help(format!(
                    "find the code that leaves the transaction open (it waits on something between BEGIN and COMMIT); let the server end such sessions ({}) and end this one ({})",
                    sql[0], sql[1]
                ))
                .suggest(sql, true),
        );
    }
}
