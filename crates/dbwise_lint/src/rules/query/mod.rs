//! Query anti-patterns (category `query`): the checks of `dbwise workload`, on SQL files.

pub mod cartesian_join;
pub mod function_on_column_in_where;
pub mod leading_wildcard_like;
pub mod not_in_subquery;
pub mod offset_pagination;
pub mod order_by_random;
pub mod select_star;
pub mod unbounded_delete_or_update;

use dbwise_query::antipatterns::Rule as Pattern;

use crate::context::StatementContext;
use crate::rule::Report;

/// Report the statement's anti-patterns of one kind, at the node each one points to.
fn report(ctx: &StatementContext, report: &mut Report, pattern: Pattern) {
    let threshold = ctx
        .settings
        .option_int(&offset_pagination::RULE.meta, "threshold");
    for found in ctx
        .queries
        .get(ctx.file, ctx.statement, ctx.catalog, threshold)
        .iter()
        .filter(|f| f.rule == pattern)
    {
        let start = ctx.statement.span.start as usize + found.location;
        let word = ctx.file.text()[start..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.'))
            .count();
        let end = (start + word.max(1))
            .min(ctx.statement.span.end as usize)
            .max(start);
        let finding = report
            .finding(
                ctx.file,
                dbwise_diagnostics::Span::new(start, end),
                found.message.clone(),
            )
            .why(pattern.why())
            .help(found.help.clone());
        report.push(finding);
    }
}
