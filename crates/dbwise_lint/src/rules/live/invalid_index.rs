use dbwise_diagnostics::{Category, Severity};

use super::{object, qualified};
use crate::live::LiveContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "invalid-index",
        category: Category::Live,
        severity: Severity::Warning,
        summary: "an index marked invalid, left by a failed CREATE INDEX CONCURRENTLY or REINDEX CONCURRENTLY",
        doc: "## What it finds
Indexes with `pg_index.indisvalid = false`: a `CREATE INDEX CONCURRENTLY` or `REINDEX
CONCURRENTLY` that failed (a deadlock, a duplicate for a unique index, a cancelled statement)
leaves its index behind, marked invalid.

## Why it matters
The planner never uses an invalid index, but every insert and update still maintains it: the
write cost of an index without its benefit. A unique one still rejects duplicates of the rows
it holds. The query the index was built for stays slow.

## Example
```sql
CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);
-- ERROR:  could not create unique index \"users_email_key\"
```

## Use instead
Drop it without blocking writes and build it again (after fixing the cause, such as the
duplicates):
```sql
DROP INDEX CONCURRENTLY public.users_email_key;
CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON public.users USING btree (email);
```
",
        options: &[],
    },
    check: Check::Live(check),
};

/// `definition` (as `pg_get_indexdef` writes it) built without blocking writes.
fn concurrently(definition: &str) -> String {
    for head in ["CREATE UNIQUE INDEX ", "CREATE INDEX "] {
        if let Some(rest) = definition.strip_prefix(head) {
            return format!("{head}CONCURRENTLY {rest}");
        }
    }
    definition.to_owned()
}

fn check(ctx: &LiveContext, report: &mut Report) {
    for index in ctx.live.indexes.iter().filter(|i| !i.valid) {
        let name = qualified(&index.schema, &index.name);
        let rebuild = concurrently(&index.definition);
        report.push(
            report
                .finding_on(
                    object(&index.schema, &index.name),
                    format!(
                        "index {}.{} on {} is invalid: a concurrent build or rebuild of it failed",
                        index.schema, index.name, index.table
                    ),
                )
                .why("the planner never uses an invalid index, but every write to the table still maintains it")
                .help(format!(
                    "drop it and build it again, both without blocking writes (each outside a transaction block): DROP INDEX CONCURRENTLY IF EXISTS {name}; then {rebuild};"
                ))
                .suggest(
                    vec![
                        format!("DROP INDEX CONCURRENTLY IF EXISTS {name};"),
                        format!("{rebuild};"),
                    ],
                    false,
                ),
        );
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn rebuilds_are_concurrent() {
        assert_eq!(
            super::concurrently("CREATE UNIQUE INDEX a ON public.t USING btree (x)"),
            "CREATE UNIQUE INDEX CONCURRENTLY a ON public.t USING btree (x)"
        );
        assert_eq!(
            super::concurrently("CREATE INDEX a ON public.t USING btree (x)"),
            "CREATE INDEX CONCURRENTLY a ON public.t USING btree (x)"
        );
    }
}
