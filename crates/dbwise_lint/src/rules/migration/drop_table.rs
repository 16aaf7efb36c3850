use dbwise_diagnostics::{Category, Severity};
use dbwise_locks::DdlForm;
use dbwise_syntax::ast::{ObjectKind, QualifiedName, Stmt};

use super::common::{existing_ops, locks, report_op};
use crate::context::StatementContext;
use crate::rule::{Check, Report, Rule, RuleMeta};
use crate::rules::design::common::words;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "drop-table",
        category: Category::Migration,
        severity: Severity::Warning,
        summary: "DROP TABLE of a table that existed before this migration",
        doc: "## What it finds
`DROP TABLE` of a table created earlier in the replayed history. Tables created and dropped in
the same migration are not reported, nor are tables the history does not know (`DROP TABLE IF
EXISTS` clean-ups of objects from elsewhere), nor a table that the same file renamed to the
dropped name: that ends a swap (rename the old table away, create and fill the new one, drop
the old), whose rename rename-table reports; nor a table that a later statement of the same
file creates again or renames a copy to (a rebuild, or a swap that fills the copy first). Nor
is a table whose name ends with a word that
marks a copy left behind (`orders_old`, `users_backup`, `import_tmp`): no running code uses
it, and dropping it a release after a swap is what the advice below asks for.

## Why it matters
Application instances that still use the table fail as soon as the drop commits, and the data
is gone: rolling back the migration does not restore it. The drop also needs ACCESS EXCLUSIVE
on the table (and on tables whose foreign keys point to it), queueing behind running queries.

## Example
```sql
DROP TABLE legacy_sessions;
```

## Use instead
Deploy code that no longer uses the table first, keep a backup (or rename it and drop it a
release later), then drop it with a `lock_timeout`.
",
        options: &[],
    },
    check: Check::Statement(check),
};

/// Whether an earlier statement of the file gave `table` its name: the drop ends a swap (rename
/// the old table away, create and fill the new one, drop the old), and the rename is where the
/// running code breaks, which rename-table reports.
fn renamed_earlier(ctx: &StatementContext, table: &QualifiedName) -> bool {
    let Some(key) = ctx.catalog.resolve(&ctx.catalog.tables, table) else {
        return false;
    };
    ctx.preceding.iter().any(|statement| match &statement.stmt {
        Stmt::Rename(rename) if rename.kind == ObjectKind::Table => {
            let schema = rename.target.schema.as_deref().unwrap_or(&key.schema);
            rename.new_name == key.name.as_str() && schema == key.schema.as_str()
        }
        _ => false,
    })
}

/// Whether a later statement of the file puts a table under the dropped name again (creates
/// it anew, or renames the new copy to it): the drop is the middle of a swap or a rebuild, and
/// code that uses the name finds a table once the migration commits.
fn replaced_later(ctx: &StatementContext, table: &QualifiedName) -> bool {
    let same_schema = |schema: Option<&str>| match (schema, table.schema.as_deref()) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    };
    ctx.following.iter().any(|statement| match &statement.stmt {
        Stmt::CreateTable(create) => {
            create.name.name == table.name && same_schema(create.name.schema.as_deref())
        }
        Stmt::Rename(rename) if rename.kind == ObjectKind::Table => {
            rename.new_name == table.name && same_schema(rename.target.schema.as_deref())
        }
        _ => false,
    })
}

/// Last words of a table name that mark a copy left behind: the old side of a swap, a backup,
/// a scratch table (`orders_old`, `users_backup`, `import_tmp`).
const LEFT_BEHIND: &[&str] = &["old", "backup", "backups", "bak", "tmp", "temp", "copy"];

/// A copy left behind, which no running code uses: dropping it a release after the swap is
/// what this rule's advice asks for.
fn left_behind(table: &QualifiedName) -> bool {
    words(&table.name)
        .last()
        .is_some_and(|w| LEFT_BEHIND.contains(&w.as_str()))
}

/// One finding per statement: `DROP TABLE a, b, c` names every existing table it drops.
fn check(ctx: &StatementContext, report: &mut Report) {
    let dropped: Vec<_> = existing_ops(ctx, |f| matches!(f, DdlForm::DropTable))
        .filter(|op| op.effect.is_some() && ctx.catalog.table(&op.target).is_some())
        .filter(|op| {
            !renamed_earlier(ctx, &op.target)
                && !replaced_later(ctx, &op.target)
                && !left_behind(&op.target)
        })
        .collect();
    // The largest table decides the severity.
    let Some(op) = dropped
        .iter()
        .max_by_key(|op| ctx.rows(&op.target).unwrap_or(0))
        .copied()
    else {
        return;
    };
    let Some(effect) = &op.effect else { return };
    let names: Vec<String> = dropped.iter().map(|op| op.target.to_string()).collect();
    let list = names.join(", ");
    let (what, them) = if names.len() == 1 {
        ("table", "it")
    } else {
        ("tables", "them")
    };
    report_op(
        ctx,
        report,
        op,
        format!(
            "dropping existing {what} {list}{} breaks the code that uses {them} and deletes {} data",
            if names.len() == 1 {
                ctx.size_note(&op.target)
            } else {
                String::new()
            },
            if names.len() == 1 { "its" } else { "their" }
        ),
        format!(
            "The drop takes {}; application instances still using {list} fail once it commits, and a rollback of the migration does not bring the rows back.",
            locks(effect, &list, None)
        ),
        format!(
            "[deploy first: the application no longer uses {list}] then, in a later migration: SET lock_timeout = '5s'; DROP TABLE {list};"
        ),
    );
}
