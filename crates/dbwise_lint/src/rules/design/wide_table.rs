use dbwise_diagnostics::{Category, Severity};

use super::common::judged_tables;
use crate::context::CatalogContext;
use crate::rule::{Check, OptionKind, Report, Rule, RuleMeta, RuleOption};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "wide-table",
        category: Category::Design,
        severity: Severity::Info,
        summary: "a table with more columns than `[lint.wide-table] max`",
        doc: "## What it finds
Tables that, after the whole replay, have more columns than the `max` option (60 by
default), counting inherited columns. Partitions are judged through their parent. Tables
the replay did not create are not judged.

## Why it matters
A very wide table usually holds several things at once: groups of columns that are filled
together or not at all (`shipping_*`, `billing_*`), optional features, or repeated columns
(`phone1`, `phone2`, ...). Every UPDATE writes a new version of the whole row, so a change to
one small column copies all the others; rows spill into TOAST; and most rows carry many
NULLs. PostgreSQL's hard limit is 1600 columns, and dropped columns still count towards it.

## Example
```sql
CREATE TABLE customers (id bigint PRIMARY KEY, name text, billing_street text, billing_city text,
    shipping_street text, shipping_city text /* ... 70 more ... */);
```

## Use instead
Split groups of columns that belong together into their own tables (one-to-one, keyed by
the parent's id), and repeated columns into child rows.
",
        options: &[RuleOption {
            name: "max",
            kind: OptionKind::Integer,
            default: "60",
            doc: "the most columns a table may have before it is reported",
        }],
    },
    check: Check::Catalog(check),
};

fn check(ctx: &CatalogContext, report: &mut Report) {
    let max = ctx.option_int("max");
    for table in judged_tables(ctx.catalog).filter(|t| t.partition_of.is_none()) {
        let count = table.columns.len();
        if i64::try_from(count).unwrap_or(i64::MAX) <= max {
            continue;
        }
        let finding = report
            .finding(
                &table.origin.file,
                table.name_span,
                format!("table {} has {count} columns (more than {max})", table.name),
            )
            .why(
                "A table this wide usually holds several things at once; every UPDATE copies the whole row, \
                 wide rows spill into TOAST, and groups of mostly-NULL columns hide optional features.",
            )
            .help(format!(
                "Move groups of columns that are filled together (same prefix, same feature) from {} into one-to-one tables \
                 keyed by its primary key, and repeated columns into child rows; or raise [lint.wide-table] max in dbwise.toml \
                 if this width is deliberate.",
                table.name
            ));
        report.push(finding);
    }
}
