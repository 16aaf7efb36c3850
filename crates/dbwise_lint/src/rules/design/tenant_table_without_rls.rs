use dbwise_catalog::{Column, Table};
use dbwise_diagnostics::{Category, Severity};
use dbwise_syntax::ast::quote_ident;

use super::common::{judged_tables, words};
use crate::context::CatalogContext;
use crate::rule::{Check, OptionKind, Report, Rule, RuleMeta, RuleOption};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "tenant-table-without-rls",
        category: Category::Design,
        severity: Severity::Warning,
        summary: "a tenant-keyed table without row-level security in a schema that isolates tenants with it",
        doc: "## What it finds
Only when the schema already uses row-level security for tenant isolation, meaning at least
one table with a tenant column (`tenant_id`, `organization_id`, `org_id`, `account_id`, or
their camelCase forms; the list is an option) has `ENABLE ROW LEVEL SECURITY`: every other
table with a tenant column where row-level security is off after the whole replay.
Schemas that do not use row-level security at all are not judged (isolation then lives in
the application, a legitimate choice), nor are partitions (the policy on the parent
applies to queries through it) and tables the replay did not create.

## Why it matters
Row-level security only protects the tables it is enabled on. A table added later without
it returns every tenant's rows to a query that forgets its `WHERE tenant_id = ...`, which is
exactly the mistake the policies on the other tables exist to catch.

## Example
```sql
ALTER TABLE projects ENABLE ROW LEVEL SECURITY;
CREATE TABLE invoices (id bigint PRIMARY KEY, tenant_id bigint NOT NULL);
```

## Use instead
```sql
ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
CREATE POLICY invoices_tenant_isolation ON invoices
    USING (tenant_id = current_setting('app.tenant_id')::bigint);
```
",
        options: &[RuleOption {
            name: "columns",
            kind: OptionKind::StringList,
            default: r#"["tenant_id", "organization_id", "org_id", "account_id"]"#,
            doc: "column names that hold the tenant",
        }],
    },
    check: Check::Catalog(check),
};

fn tenant_column<'a>(table: &'a Table, tenant_words: &[Vec<String>]) -> Option<&'a Column> {
    table
        .columns
        .iter()
        .find(|c| tenant_words.contains(&words(&c.name)))
}

fn check(ctx: &CatalogContext, report: &mut Report) {
    let tenant_words: Vec<Vec<String>> = ctx
        .option_words("columns")
        .iter()
        .map(|w| words(w))
        .collect();
    let Some(example) = judged_tables(ctx.catalog)
        .find(|t| t.row_level_security && tenant_column(t, &tenant_words).is_some())
    else {
        return;
    };
    for table in
        judged_tables(ctx.catalog).filter(|t| !t.row_level_security && t.partition_of.is_none())
    {
        let Some(column) = tenant_column(table, &tenant_words) else {
            continue;
        };
        let t = &table.name;
        let col = quote_ident(&column.name);
        let type_name = column
            .type_name
            .as_ref()
            .map_or_else(|| "bigint".to_owned(), |t| t.display());
        let policy = quote_ident(&dbwise_catalog::truncate_identifier(&format!(
            "{}_tenant_isolation",
            table.name.name
        )));
        let finding = report
            .finding(
                &table.origin.file,
                table.name_span,
                format!("table {t} has tenant column {col} but no row-level security, unlike {}", example.name),
            )
            .why(format!(
                "The schema isolates tenants with row-level security, but only on the tables it is enabled on: a query on {t} \
                 that forgets its tenant filter returns every tenant's rows."
            ))
            .help(format!(
                "ALTER TABLE {t} ENABLE ROW LEVEL SECURITY; CREATE POLICY {policy} ON {t} \
                 USING ({col} = current_setting('app.tenant_id')::{type_name}); (use the same setting as the policies on {})",
                example.name
            ));
        report.push(finding);
    }
}
