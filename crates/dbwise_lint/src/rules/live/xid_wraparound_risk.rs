use dbwise_diagnostics::{Category, Severity};

use super::{object, qualified};
use crate::live::LiveContext;
use crate::rule::{Check, OptionKind, Report, Rule, RuleMeta, RuleOption};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "xid-wraparound-risk",
        category: Category::Live,
        severity: Severity::Warning,
        summary: "a database or table whose oldest unfrozen transaction id is far behind",
        doc: "## What it finds
The current database when `age(datfrozenxid)` is past `max-age`, and each table whose
`age(relfrozenxid)` is. Past 1,500,000,000 the finding is an error.

## Why it matters
Transaction ids wrap around after about two thousand million. Vacuum freezes old rows so
that they stay visible; when the oldest unfrozen id comes within a few million of the limit
the server stops assigning new ones and refuses every write until a vacuum finishes: an
outage that can last hours on a large table. Autovacuum forces a freeze from
`autovacuum_freeze_max_age` (200 million by default); an age far past it means something
stops vacuum (a long transaction, an inactive replication slot, a prepared transaction) or
it cannot keep up.

## Example
`age(relfrozenxid)` of 900 million on a table that autovacuum keeps being cancelled on.

## Use instead
Remove what holds vacuum back, then freeze the oldest tables:
```sql
VACUUM (FREEZE, VERBOSE) public.events;
```
",
        options: &[RuleOption {
            name: "max-age",
            kind: OptionKind::Integer,
            default: "500000000",
            doc: "the transaction-id age past which a database or table is reported",
        }],
    },
    check: Check::Live(check),
};

/// An age this far is a few hundred million transactions from the server refusing writes.
const ERROR_AGE: i64 = 1_500_000_000;

fn check(ctx: &LiveContext, report: &mut Report) {
    let max_age = ctx.option_int("max-age");
    let live = ctx.live;
    let severity = |age: i64| (age >= ERROR_AGE).then_some(Severity::Error);
    if live.database_xid_age > max_age {
        let mut finding = report
            .finding_on(
                live.database.clone(),
                format!(
                    "database {}'s oldest unfrozen transaction id is {} transactions old",
                    live.database, live.database_xid_age
                ),
            )
            .why("at about two thousand million the server refuses every write until a vacuum freezes the oldest rows")
            .help("find what holds vacuum back (long transactions, inactive replication slots, prepared transactions), then VACUUM (FREEZE) the tables reported with it");
        if let Some(s) = severity(live.database_xid_age) {
            finding.severity = s;
        }
        report.push(finding);
    }
    for table in live.tables.iter().filter(|t| t.xid_age > max_age) {
        let name = qualified(&table.schema, &table.name);
        let mut finding = report
            .finding_on(
                object(&table.schema, &table.name),
                format!(
                    "table {}.{}'s oldest unfrozen transaction id is {} transactions old",
                    table.schema, table.name, table.xid_age
                ),
            )
            .why("at about two thousand million the server refuses every write until a vacuum freezes the oldest rows")
            .help(format!("VACUUM (FREEZE, VERBOSE) {name}; after removing what holds vacuum back"))
            .suggest(vec![format!("VACUUM (FREEZE, VERBOSE) {name};")], false);
        if let Some(s) = severity(table.xid_age) {
            finding.severity = s;
        }
        report.push(finding);
    }
}
