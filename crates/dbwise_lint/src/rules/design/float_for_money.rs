use dbwise_diagnostics::{Category, Severity};
use dbwise_syntax::ast::quote_ident;

use dbwise_catalog::Column;

use super::common::{candidates, column_type, has_word, report_convention};
use crate::context::CatalogContext;
use crate::rule::{Check, OptionKind, Report, Rule, RuleMeta, RuleOption};

/// Default words (whole words of a column name) that mark a money amount.
pub const MONEY_WORDS: &str = r#"["price", "amount", "cost", "total", "subtotal", "balance", "fee", "salary", "wage", "tax", "vat", "payment", "revenue", "income", "refund", "discount", "charge", "budget", "money", "cash", "paid", "earnings", "payout", "invoice"]"#;

/// Default words that make a name a measurement or ratio rather than an amount.
pub const NOT_MONEY_WORDS: &str = r#"["rate", "ratio", "percent", "pct", "percentage", "time", "duration", "seconds", "ms", "count", "weight", "distance", "score", "factor", "multiplier", "share"]"#;

/// The word-list options of the money rules (this one and `numeric-money-without-scale`).
pub const MONEY_OPTIONS: &[RuleOption] = &[
    RuleOption {
        name: "words",
        kind: OptionKind::StringList,
        default: MONEY_WORDS,
        doc: "words (whole words of the column name) that mark a money amount",
    },
    RuleOption {
        name: "not-money-words",
        kind: OptionKind::StringList,
        default: NOT_MONEY_WORDS,
        doc: "words that make the name a measurement or ratio rather than an amount",
    },
];

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "float-for-money",
        category: Category::Design,
        severity: Severity::Warning,
        summary: "a `real` / `double precision` column whose name says it holds money",
        doc: "## What it finds
Columns of a binary floating-point type (`real`, `float4`, `double precision`, `float8`,
`float(n)`, also through a domain) whose name contains a money word as a whole word:
`price`, `unit_price`, `amountDue` and `total_cost` match; `priceless` does not. Names that also
contain a word for a quantity that is not money (`total_time`, `fee_rate`, `tax_percent`) are
left alone, since floating point is a fair choice for measurements and ratios. Both word lists
are options.

When four or more money columns are floating point and few are exact (at most three in ten
are `numeric` or integer), floating point is the schema's convention, typical of prices and
quantities taken from a market feed: one note stands for all of them and is counted rather
than listed (`--conventions list` lists it).

## Why it matters
Binary floating point cannot represent most decimal fractions: `0.1 + 0.2` is
`0.30000000000000004`. Sums of prices drift by cents, equality tests on amounts fail,
rounding differs between the database and the application, and totals no longer reconcile
with the ledger or the payment provider.

## Example
```sql
CREATE TABLE invoices (id bigint PRIMARY KEY, total double precision NOT NULL);
```

## Use instead
```sql
CREATE TABLE invoices (id bigint PRIMARY KEY, total numeric(12,2) NOT NULL);
```
or an integer number of the smallest unit (`total_cents bigint`).
",
        options: MONEY_OPTIONS,
    },
    check: Check::Catalog(check),
};

fn check(ctx: &CatalogContext, report: &mut Report) {
    let money = ctx.option_words("words");
    let not_money = ctx.option_words("not-money-words");
    let money_name =
        |column: &Column| has_word(&column.name, &money) && !has_word(&column.name, &not_money);
    let type_in = |column: &Column, names: &[&str]| {
        column_type(ctx.catalog, column).is_some_and(|t| names.contains(&t.name))
    };
    let found = candidates(
        ctx.catalog,
        |_, column| money_name(column) && type_in(column, &["float4", "float8"]),
        |_, column| {
            money_name(column) && type_in(column, &["numeric", "int2", "int4", "int8", "money"])
        },
    );
    if found.convention {
        report_convention(
            report,
            &found.columns,
            "money in floating point",
            Some(("exact (numeric or integer)", found.alternatives)),
            "A schema that keeps every amount in floating point usually holds prices and quantities of a market or a feed, \
             where values span many magnitudes; sums and equality on them are still approximate.",
            "Where amounts must reconcile (payments, balances, invoices), keep them in numeric or in integer minor units; \
             compare and round floating-point amounts with a tolerance.",
        );
        return;
    }
    for &(table, column) in &found.columns {
        let Some(resolved) = column_type(ctx.catalog, column) else {
            continue;
        };
        let col = quote_ident(&column.name);
        let array = if resolved.array { "[]" } else { "" };
        let written = column
            .type_name
            .as_ref()
            .map(|t| t.display())
            .unwrap_or_default();
        let finding = report
            .finding(
                &column.origin.file,
                column.name_span,
                format!("column {}.{col} holds money in `{written}`", table.name),
            )
            .why(
                "Binary floating point cannot represent most decimal fractions (0.1 + 0.2 is 0.30000000000000004): \
                 sums drift by cents, equality on amounts fails and totals stop reconciling.",
            )
            .help(format!(
                "ALTER TABLE {table} ALTER COLUMN {col} TYPE numeric(12,2){array} USING round({col}::numeric, 2); \
                 (rewrites the table; pick the scale the values need: first check SELECT count(*) FROM {table} \
                 WHERE {col}::numeric <> round({col}::numeric, 2); unit prices and crypto amounts need more decimals), \
                 or store integer cents in a bigint column.",
                table = table.name
            ));
        report.push(finding);
    }
}
