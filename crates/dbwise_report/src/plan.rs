//! The text form of a [`Plan`] (`dbwise migrate plan`): the steps as SQL, each headed by
//! comments saying how and when to run it.

use dbwise_catalog::migrations::Framework;
use dbwise_lint::plan::{Plan, outside_transaction_hint};

/// The plan as text: each step headed by a comment saying how to run it with `framework`.
pub fn render_human(plan: &Plan, framework: Option<Framework>) -> String {
    let mut out = String::new();
    for (i, step) in plan.steps.iter().enumerate() {
        out.push_str(&format!("-- step {}: {}\n", i + 1, step.title));
        if let Some(change) = &step.deploy_first {
            out.push_str(&format!("-- DEPLOY FIRST: {change}\n"));
        }
        if step.no_transaction {
            out.push_str(&format!(
                "-- run outside a transaction: {}\n",
                outside_transaction_hint(framework)
            ));
        }
        if step.repeat {
            out.push_str("-- repeat until it updates 0 rows\n");
        }
        out.push_str(&step.sql);
        out.push_str("\n\n");
    }
    out
}
