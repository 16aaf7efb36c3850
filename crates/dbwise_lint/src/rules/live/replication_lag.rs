use dbwise_diagnostics::{Category, Severity};

use super::{duration, size};
use crate::live::LiveContext;
use crate::rule::{Check, OptionKind, Report, Rule, RuleMeta, RuleOption};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "replication-lag",
        category: Category::Live,
        severity: Severity::Warning,
        summary: "a standby that replays the primary's changes later than the limit",
        doc: "## What it finds
On a standby: WAL received and not yet replayed, while the last replayed transaction
committed on the primary more than `seconds` ago. An idle primary sends nothing, so a
standby with nothing left to replay is never reported, however old its last commit.

## Why it matters
Reads on the standby see data that old: a user who just saved something does not see it, a
job reads stale state. A standby far behind also takes long to promote when the primary
fails.

## Example
A replica whose replay waits on long queries run on it (`max_standby_streaming_delay`), or
whose disk cannot keep up.

## Use instead
Find what holds replay back: conflicting long queries on the standby (`pg_stat_database_conflicts`,
`max_standby_streaming_delay`), I/O, or the network. Send reads that must see their own
writes to the primary.
",
        options: &[RuleOption {
            name: "seconds",
            kind: OptionKind::Integer,
            default: "60",
            doc: "how far behind a standby may replay",
        }],
    },
    check: Check::Live(check),
};

fn check(ctx: &LiveContext, report: &mut Report) {
    let Some(replay) = &ctx.live.replay else {
        return;
    };
    let limit = ctx.option_int("seconds") as f64;
    let (Some(lag), Some(pending)) = (replay.lag, replay.pending_bytes) else {
        return;
    };
    if lag <= limit || pending <= 0 {
        return;
    }
    report.push(
        report
            .finding_on(
                ctx.live.database.clone(),
                format!(
                    "this standby replays {} behind its primary, with {} of WAL received and not replayed",
                    duration(lag),
                    size(pending)
                ),
            )
            .why("reads here see data that old, and the standby takes longer to promote when the primary fails")
            .help("find what holds replay back: long queries on the standby conflicting with it (pg_stat_database_conflicts, max_standby_streaming_delay), its I/O or the network; send reads that must see their own writes to the primary"),
    );
}
