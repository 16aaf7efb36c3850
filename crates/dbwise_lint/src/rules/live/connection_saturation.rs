use dbwise_diagnostics::{Category, Severity};

use crate::live::LiveContext;
use crate::rule::{Check, OptionKind, Report, Rule, RuleMeta, RuleOption};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "connection-saturation",
        category: Category::Live,
        severity: Severity::Warning,
        summary: "client connections close to the number the server accepts",
        doc: "## What it finds
Client connections using at least `percent` of the slots open to ordinary roles
(`max_connections` less `superuser_reserved_connections` and, from PostgreSQL 16,
`reserved_connections`), with the count of each application.

## Why it matters
When the slots run out, new connections fail with `too many clients already`: deploys, new
application instances and cron jobs cannot connect. Each connection is also a server process
with its own memory; hundreds of mostly idle ones cost memory and contend on locks, and
throughput falls long before the limit.

## Example
Twenty application instances, each with a pool of 20, against `max_connections = 400`.

## Use instead
Put a pooler in front of the database: PgBouncer in transaction mode lets thousands of
client connections share a few server connections. Size the server-side pool from the
database server's cores (about two to four connections per core is where throughput peaks),
and make the applications' own pools small.
",
        options: &[RuleOption {
            name: "percent",
            kind: OptionKind::Integer,
            default: "80",
            doc: "the share of the available slots in use that is reported",
        }],
    },
    check: Check::Live(check),
};

fn check(ctx: &LiveContext, report: &mut Report) {
    let connections = &ctx.live.connections;
    let available = connections.max_connections - connections.reserved;
    if available <= 0 {
        return;
    }
    let in_use = connections.in_use();
    let percent = in_use as f64 / available as f64 * 100.0;
    if percent < ctx.option_int("percent") as f64 {
        return;
    }
    let by_application: Vec<String> = connections
        .by_application
        .iter()
        .take(5)
        .map(|(application, n)| {
            if application.is_empty() {
                format!("{n} unnamed")
            } else {
                format!("{n} {application}")
            }
        })
        .collect();
    report.push(
        report
            .finding_on(
                ctx.live.database.clone(),
                format!(
                    "{in_use} client connections use {percent:.0}% of the {available} the server accepts for ordinary roles (max_connections {} less {} reserved): {}",
                    connections.max_connections,
                    connections.reserved,
                    by_application.join(", ")
                ),
            )
            .why("when the slots run out new connections fail (too many clients already), and many server processes cost memory and lock contention well before that")
            .help("pool connections: PgBouncer in transaction mode in front of the database, a server-side pool of about two to four connections per core of the database server, and small pools in each application instance"),
    );
}
