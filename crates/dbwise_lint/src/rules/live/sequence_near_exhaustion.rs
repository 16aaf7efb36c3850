use dbwise_diagnostics::{Category, Severity};
use dbwise_syntax::ast::quote_ident;

use super::{object, qualified};
use crate::live::LiveContext;
use crate::rule::{Check, OptionKind, Report, Rule, RuleMeta, RuleOption};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "sequence-near-exhaustion",
        category: Category::Live,
        severity: Severity::Warning,
        summary: "a sequence or identity that has used most of the range of its type or its column's type",
        doc: "## What it finds
Sequences (of `serial` and identity columns, or standalone) whose last value has gone past
`threshold-percent` of the range they can reach: the smaller of the sequence's own maximum and
the largest value of the integer column it feeds. Past 90% the finding is an error. When the
table's inserts since the statistics were reset give a rate, it says how many days are left
at that rate.

## Why it matters
When the sequence reaches its end, `nextval` fails (or the value no longer fits the column)
and every insert into the table fails: an outage. Widening an `integer` column to `bigint`
rewrites the table under an ACCESS EXCLUSIVE lock, which takes long on the large tables that
get here, so it has to be planned well before.

## Example
```sql
CREATE TABLE events (id serial PRIMARY KEY, body text);
-- two thousand million inserts later
```

## Use instead
`bigint` keys from the start (`id bigint GENERATED ALWAYS AS IDENTITY`). For a table already
near the end:
```sql
ALTER TABLE public.events ALTER COLUMN id TYPE bigint;  -- rewrites the table: plan it
ALTER SEQUENCE public.events_id_seq AS bigint;
```
On a large table, add a `bigint` column, backfill it in batches and swap it in, instead of
the rewrite.
",
        options: &[RuleOption {
            name: "threshold-percent",
            kind: OptionKind::Integer,
            default: "75",
            doc: "how much of the range may be used before a sequence is reported",
        }],
    },
    check: Check::Live(check),
};

fn check(ctx: &LiveContext, report: &mut Report) {
    let threshold = ctx.option_int("threshold-percent") as f64;
    for sequence in &ctx.live.sequences {
        let Some(last) = sequence.last_value else {
            continue;
        };
        // Descending sequences run toward their minimum.
        let (used, room) = if sequence.increment > 0 {
            let end = sequence
                .column_max
                .map_or(sequence.max_value, |column| column.min(sequence.max_value));
            (
                last as f64 - sequence.min_value as f64,
                end as f64 - sequence.min_value as f64,
            )
        } else {
            (
                sequence.max_value as f64 - last as f64,
                sequence.max_value as f64 - sequence.min_value as f64,
            )
        };
        if room <= 0.0 {
            continue;
        }
        let percent = used / room * 100.0;
        if percent < threshold {
            continue;
        }
        let left = room - used;
        let table = sequence.column.as_ref().and_then(|c| {
            ctx.live
                .tables
                .iter()
                .find(|t| t.schema == c.schema && t.name == c.table)
        });
        let days_left = table
            .filter(|t| t.inserts > 0 && ctx.live.stats_age > 0.0)
            .map(|t| {
                let per_day = t.inserts as f64 / ctx.live.stats_age
                    * 86400.0
                    * sequence.increment.unsigned_abs() as f64;
                left / per_day
            });
        let feeds = sequence.column.as_ref().map_or(String::new(), |c| {
            format!(
                " (feeding {}.{}.{}, {})",
                c.schema, c.table, c.column, c.type_name
            )
        });
        let rate = match days_left {
            Some(days) => format!(
                "; at the rate of inserts since the statistics were reset, about {days:.0} days are left"
            ),
            None => "; no insert rate to say how long that lasts".to_owned(),
        };
        let mut sql = Vec::new();
        if let (Some(column), Some(_)) = (&sequence.column, sequence.column_max) {
            sql.push(format!(
                "ALTER TABLE {} ALTER COLUMN {} TYPE bigint;",
                qualified(&column.schema, &column.table),
                quote_ident(&column.column)
            ));
        }
        if sequence.max_value <= i64::from(i32::MAX) {
            sql.push(format!(
                "ALTER SEQUENCE {} AS bigint;",
                qualified(&sequence.schema, &sequence.name)
            ));
        }
        let mut finding = report
            .finding_on(
                object(&sequence.schema, &sequence.name),
                format!(
                    "sequence {}.{}{feeds} has used {percent:.0}% of its range: {} values left{rate}",
                    sequence.schema, sequence.name, left as i64
                ),
            )
            .why("when it reaches the end, nextval fails (or the value no longer fits the column) and every insert into the table fails");
        if percent >= 90.0 {
            finding.severity = Severity::Error;
        }
        let finding = if sql.is_empty() {
            finding
                .help("raise the sequence's maximum or move the table to a new key before the end")
        } else {
            finding
                .help(format!(
                    "widen it to bigint: {} (changing the column's type rewrites the table under an ACCESS EXCLUSIVE lock: plan it, or add a bigint column, backfill it in batches and swap it in)",
                    sql.join(" ")
                ))
                .suggest(sql, true)
        };
        report.push(finding);
    }
}
