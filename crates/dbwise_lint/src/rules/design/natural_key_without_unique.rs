use dbwise_catalog::truncate_identifier;
use dbwise_diagnostics::{Category, Severity};
use dbwise_syntax::ast::quote_ident;

use dbwise_catalog::{Catalog, Table};

use super::common::{
    column_type, has_word, in_foreign_key, index_uses, is_text_like, judged_tables, own_columns,
    primary_key_columns, unique_uses, words,
};
use crate::context::CatalogContext;
use crate::rule::{Check, OptionKind, Report, Rule, RuleMeta, RuleOption};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "natural-key-without-unique",
        category: Category::Design,
        severity: Severity::Warning,
        summary: "an `email` / `username` / `slug` / `sku`-like column with no unique constraint or index",
        doc: "## What it finds
Text columns (`text`, `varchar`, `char`, `citext`) whose whole name is a natural-key word
(`email`, `username`, `slug`, `sku`, ...; camelCase counts) when no unique constraint or
unique index uses the column, alone, scoped by other columns (`UNIQUE (tenant_id, email)`),
or in an expression (`lower(email)`); a partial unique index counts too. It deliberately does
not report:
- names that only contain the word (`contact_email`, `reply_to_email`): those describe
  something else and repeat legitimately;
- tables whose name says they record events or messages about the key rather than the thing
  it identifies (`email_log`, `invitations`, `recipients`, ...; the list is an option);
- columns that are part of a foreign key (the referenced table owns the uniqueness);
- tables whose primary key is a foreign key (`versions_published_by` keyed by `version_id`):
  each row adds to one row of the parent, so the column describes that row (who published
  the version) and repeats across parents;
- contact columns (`email` by default; an option) when another text column of the table is
  already unique (a unique `username` or `lower(name)`): the account is identified by that
  key, and several accounts may share one address;
- columns whose unique key the history dropped (`ALTER TABLE users DROP CONSTRAINT
  users_email_key`, or `DROP INDEX` of a unique index on the column alone): the project chose
  to let the values repeat.

## Why it matters
Uniqueness checked in application code races: two requests that check \"is this email
taken?\" at the same time both see no row and both insert. The result is two accounts for
one person, logins that pick one at random, or duplicate product pages. Only a unique index
closes the race, and it also gives the lookup by that key an index.

## Example
```sql
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
```

## Use instead
```sql
CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (lower(email));
```
(`lower()` when the key should be case-insensitive; plain `(email)` otherwise.)
",
        options: &[
            RuleOption {
                name: "words",
                kind: OptionKind::StringList,
                default: r#"["email", "email_address", "username", "user_name", "login", "slug", "sku", "handle"]"#,
                doc: "column names that identify a row on their own",
            },
            RuleOption {
                name: "contact-words",
                kind: OptionKind::StringList,
                default: r#"["email", "email_address"]"#,
                doc: "natural-key words that may repeat when the table has another unique text key",
            },
            RuleOption {
                name: "ignore-tables",
                kind: OptionKind::StringList,
                default: r#"["log", "logs", "history", "audit", "event", "events", "invite", "invites", "invitation", "invitations", "recipient", "recipients", "message", "messages", "attempt", "attempts", "token", "tokens", "verification", "verifications", "request", "requests", "import", "imports", "staging", "run", "runs", "job", "jobs", "session", "sessions", "record", "records", "check", "checks", "ban", "bans", "banned"]"#,
                doc: "words in a table name that mark records about the key rather than the thing it identifies",
            },
        ],
    },
    check: Check::Catalog(check),
};

/// The table's primary key is all foreign-key columns: a row extends one row of its parent.
fn keyed_by_parent(table: &Table) -> bool {
    let key = primary_key_columns(table);
    !key.is_empty() && key.iter().all(|c| in_foreign_key(table, c))
}

fn check(ctx: &CatalogContext, report: &mut Report) {
    let keys: Vec<Vec<String>> = ctx.option_words("words").iter().map(|w| words(w)).collect();
    let ignore = ctx.option_words("ignore-tables");
    let contact: Vec<Vec<String>> = ctx
        .option_words("contact-words")
        .iter()
        .map(|w| words(w))
        .collect();
    for table in judged_tables(ctx.catalog)
        .filter(|t| !has_word(&t.name.name, &ignore) && !keyed_by_parent(t))
    {
        for column in own_columns(ctx.catalog, table) {
            if !keys.contains(&words(&column.name)) || in_foreign_key(table, &column.name) {
                continue;
            }
            let text = column_type(ctx.catalog, column)
                .is_some_and(|r| is_text_like(r.name) && !r.array)
                || column
                    .type_name
                    .as_ref()
                    .is_some_and(|t| t.name == "citext" && !t.array);
            // A unique key on the column that the history dropped: the project chose to let
            // the values repeat.
            let dropped = table
                .dropped_unique_keys
                .iter()
                .any(|key| key.as_slice() == std::slice::from_ref(&column.name));
            if !text
                || dropped
                || unique_uses(ctx.catalog, table, &column.name)
                || (contact.contains(&words(&column.name))
                    && other_text_key(ctx.catalog, table, &column.name))
            {
                continue;
            }
            let t = &table.name;
            let col = quote_ident(&column.name);
            let index = quote_ident(&truncate_identifier(&format!(
                "{}_{}_key",
                table.name.name, column.name
            )));
            let case_folded = column
                .type_name
                .as_ref()
                .is_some_and(|t| t.name == "citext");
            let key = if case_folded
                || !matches!(
                    words(&column.name).first().map(String::as_str),
                    Some("email" | "username" | "user" | "login" | "handle")
                ) {
                col.clone()
            } else {
                format!("lower({col})")
            };
            let finding = report
                .finding(
                    &column.origin.file,
                    column.name_span,
                    format!("column {t}.{col} looks like a natural key but nothing makes it unique"),
                )
                .why(format!(
                    "Checking in application code that no other row has this {col} races: two requests check at once, both see \
                     no row and both insert. Only a unique index closes the race (and serves the lookup)."
                ))
                .help(format!(
                    "CREATE UNIQUE INDEX CONCURRENTLY {index} ON {t} ({key}); after removing duplicates, scoped by the owning \
                     column if values repeat per tenant, e.g. (tenant_id, {key})."
                ));
            report.push(finding);
        }
    }
}

/// A unique index of the table that does not use `column` but uses another text column.
fn other_text_key(catalog: &Catalog, table: &Table, column: &str) -> bool {
    catalog.indexes_on(&table.name).any(|index| {
        index.unique
            && !index_uses(index, column)
            && table.columns.iter().any(|c| {
                c.name != column
                    && index_uses(index, &c.name)
                    && column_type(catalog, c).is_some_and(|r| is_text_like(r.name))
            })
    })
}
