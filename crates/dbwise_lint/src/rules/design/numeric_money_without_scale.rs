use dbwise_diagnostics::{Category, Severity};
use dbwise_syntax::ast::quote_ident;

use super::common::{candidates, checked, column_type, has_word, report_convention};
use super::float_for_money::MONEY_OPTIONS;
use crate::context::CatalogContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "numeric-money-without-scale",
        category: Category::Design,
        severity: Severity::Info,
        summary: "a money column typed `numeric` with no precision and scale",
        doc: "## What it finds
Columns typed plain `numeric` / `decimal`, with no `(precision, scale)`, whose name contains
a money word (the same lists as `float-for-money`, as options of this rule), when no CHECK
constraint names the column. A column declared through a domain is judged at the domain.
When four or more money columns are plain `numeric` and hardly any has a scale, that is the
schema's convention (a billing system keeping sub-cent unit prices, or currencies with
different decimals, exact): one note says so, and only columns written after the schema first
gave a money column a scale are reported one by one.

## Why it matters
Unconstrained `numeric` is exact, so it does not drift like floating point, but it keeps
whatever scale it is given: `10`, `10.5` and `10.4999` all go in. Amounts then carry
fractions of a cent that no invoice shows, sums disagree with the rounded figures printed
next to them, and nothing says how many decimals the currency has. `numeric(12,2)` rounds
every value to cents on the way in and documents the unit.

## Example
```sql
CREATE TABLE invoices (id bigint PRIMARY KEY, total numeric NOT NULL);
```

## Use instead
```sql
CREATE TABLE invoices (id bigint PRIMARY KEY, total numeric(12,2) NOT NULL);
```
Use more decimals (`numeric(18,6)`) for unit prices or exchange rates that need them.
",
        options: MONEY_OPTIONS,
    },
    check: Check::Catalog(check),
};

fn check(ctx: &CatalogContext, report: &mut Report) {
    let money = ctx.option_words("words");
    let not_money = ctx.option_words("not-money-words");
    // A money column of the schema's own numeric type, with a scale (`with_scale`) or without.
    let money_numeric = |table, column: &dbwise_catalog::Column, with_scale: bool| {
        column_type(ctx.catalog, column).is_some_and(|resolved| {
            resolved.name == "numeric"
                && !resolved.domain
                && resolved.modifiers.is_empty() != with_scale
        }) && has_word(&column.name, &money)
            && !has_word(&column.name, &not_money)
            && !checked(table, &column.name)
    };
    let found = candidates(
        ctx.catalog,
        |table, column| money_numeric(table, column, false),
        |table, column| money_numeric(table, column, true),
    );
    if found.convention {
        report_convention(
            report,
            &found.columns,
            "money kept as plain `numeric`",
            Some(("given a scale", found.alternatives)),
            "Keeping amounts exact with no fixed scale is a deliberate choice when unit prices go below a cent or currencies \
             differ in decimals; the risk is an amount shown rounded while sums use every stored decimal.",
            "Make the convention explicit: round where amounts are shown or invoiced, and record each amount's currency (and \
             its decimals) beside it.",
        );
        return;
    }
    for (table, column) in found.after_adoption() {
        let Some(resolved) = column_type(ctx.catalog, column) else {
            continue;
        };
        let col = quote_ident(&column.name);
        let array = if resolved.array { "[]" } else { "" };
        let finding = report
            .finding(
                &column.origin.file,
                column.name_span,
                format!("money column {}.{col} is `numeric` with no scale", table.name),
            )
            .why(format!(
                "Plain numeric keeps any number of decimals, so {col} accepts fractions of a cent that no invoice shows and \
                 sums stop matching the rounded amounts; nothing records how many decimals the currency has."
            ))
            .help(format!(
                "ALTER TABLE {} ALTER COLUMN {col} TYPE numeric(12,2){array}; (rewrites the table and rounds existing values; \
                 check first with SELECT count(*) FROM {} WHERE {col} <> round({col}, 2);)",
                table.name, table.name
            ));
        report.push(finding);
    }
}
