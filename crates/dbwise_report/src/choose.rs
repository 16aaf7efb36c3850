//! Text and JSON forms of a [`Choice`] and an [`Explanation`] (`dbwise choose`). Nothing here
//! computes a result. The human text carries names and values from the brief: no control
//! character of theirs reaches the terminal.

use std::fmt::Write;

use dbwise_choose::{Brief, Choice, Explanation, Inferred, KnowledgeBase, Reason, ScoreLine};
use dbwise_diagnostics::escape_control_but_lines;

/// Score lines shown per engine in the summary; `--explain` shows all of them.
const SUMMARY_LINES: usize = 4;
/// Engines shown with their score lines; the rest get one line each.
const DETAILED_ENGINES: usize = 5;

/// Pretty JSON with a trailing newline; identical input gives identical bytes.
pub fn render_json<T: serde::Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("choose results serialize to JSON");
    text.push('\n');
    text
}

/// The brief keys of a reason, with the line each was written on.
fn keys(brief: &Brief, reason: &Reason) -> String {
    reason
        .brief_keys
        .iter()
        .map(|key| match brief.line(*key) {
            Some(line) => format!("{key} (line {line})"),
            None => key.path(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn write_evidence(out: &mut String, brief: &Brief, reason: &Reason, indent: &str) {
    if !reason.brief_keys.is_empty() {
        let _ = writeln!(out, "{indent}brief: {}", keys(brief, reason));
    }
    for fact in &reason.facts {
        let _ = writeln!(
            out,
            "{indent}fact {}/{}: {}",
            fact.engine, fact.fact, fact.claim
        );
        let _ = writeln!(out, "{indent}  source: {}", fact.source);
    }
}

fn short_evidence(brief: &Brief, reason: &Reason) -> String {
    let mut parts = Vec::new();
    if !reason.brief_keys.is_empty() {
        parts.push(keys(brief, reason));
    }
    parts.extend(
        reason
            .facts
            .iter()
            .map(|fact| format!("{}/{}", fact.engine, fact.fact)),
    );
    if parts.is_empty() {
        String::new()
    } else {
        format!(" [{}]", parts.join("; "))
    }
}

fn write_line(out: &mut String, brief: &Brief, line: &ScoreLine, indent: &str) {
    let _ = writeln!(
        out,
        "{indent}{:>5.1} of {:>4.1}  {}{}",
        line.points,
        line.possible,
        line.reason.text,
        short_evidence(brief, &line.reason)
    );
}

/// The summary a user reads first: warnings, tree, ranking, eliminations, architecture, sensitivity.
pub fn render_human(choice: &Choice, brief: &Brief) -> String {
    escape_control_but_lines(&summary(choice, brief)).into_owned()
}

/// The summary of `--infer`: the inferred brief, as TOML to edit and save, then
/// [`render_human`]'s summary. `from` names the schemas it was inferred from.
pub fn render_inferred(from: &str, inferred: &Inferred, choice: &Choice, brief: &Brief) -> String {
    escape_control_but_lines(&format!(
        "# Brief inferred from {from} (edit it, save it, and run `dbwise choose FILE`):\n{}\n{}",
        inferred.to_toml(),
        summary(choice, brief)
    ))
    .into_owned()
}

/// The engines of the knowledge base, one a line: id, name and the roles it can fill.
pub fn render_engines(kb: &KnowledgeBase) -> String {
    let mut out = String::new();
    for engine in kb.engines() {
        let roles: Vec<&str> = engine.roles.iter().map(|role| role.name()).collect();
        out.push_str(&format!(
            "{:<14} {:<22} {}\n",
            engine.id,
            engine.name,
            roles.join(", ")
        ));
    }
    out
}

fn summary(choice: &Choice, brief: &Brief) -> String {
    let mut out = String::new();
    let title = choice.brief.as_deref().unwrap_or("unnamed brief");
    match brief.source() {
        Some(file) => {
            let _ = writeln!(out, "dbwise choose: {title} ({})", file.path());
        }
        None => {
            let _ = writeln!(out, "dbwise choose: {title}");
        }
    }
    for warning in &choice.warnings {
        let place = warning
            .reason
            .brief_keys
            .iter()
            .find_map(|key| Some((brief.source()?.path().to_string(), brief.line(*key)?)))
            .map(|(path, line)| format!("{path}:{line}: "))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "\n{place}{}[{}]: {}",
            warning.severity, warning.rule, warning.reason.text
        );
        let _ = writeln!(out, "  help: {}", warning.help);
    }

    let _ = writeln!(out, "\nDecision path (the playbook's SQL-vs-NoSQL tree)");
    for (index, step) in choice.decision_path.iter().enumerate() {
        let marker = if step.taken { "  <- branch taken" } else { "" };
        let _ = writeln!(out, "  {}. {}{marker}", index + 1, step.because.text);
    }
    let _ = writeln!(out, "  {}", tree_verdict(choice));

    let _ = writeln!(out, "\nRanking (score out of 100)");
    if choice.ranking.is_empty() {
        let _ = writeln!(out, "  no engine meets every hard constraint");
    }
    for (index, ranked) in choice.ranking.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {:>2}. {:<14} {:>5.1}  {} · {}, PACELC {} · {}",
            index + 1,
            ranked.engine,
            ranked.score,
            ranked.name,
            ranked.cap,
            ranked.pacelc,
            ranked.licence
        );
        if index < DETAILED_ENGINES {
            for line in ranked.reasons.iter().take(SUMMARY_LINES) {
                write_line(&mut out, brief, line, "        ");
            }
        }
    }

    if !choice.eliminated.is_empty() {
        let _ = writeln!(out, "\nEliminated (a hard requirement is not met)");
        for eliminated in &choice.eliminated {
            for (index, reason) in eliminated.reasons.iter().enumerate() {
                let label = if index == 0 {
                    eliminated.engine.as_str()
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "  {label:<14} {}{}",
                    reason.text,
                    short_evidence(brief, reason)
                );
            }
        }
    }

    if let Some(step) = &choice.next_step {
        let _ = writeln!(out, "\nNext step\n  {step}");
    }

    if !choice.architecture.is_empty() {
        let _ = writeln!(out, "\nArchitecture");
        for member in &choice.architecture {
            let _ = writeln!(
                out,
                "  {:<10} {:<14} {}",
                member.role.name(),
                member.engine,
                member.usage
            );
            for reason in &member.why {
                let _ = writeln!(
                    out,
                    "             - {}{}",
                    reason.text,
                    short_evidence(brief, reason)
                );
            }
        }
    }

    let _ = writeln!(out, "\nSensitivity");
    if choice.sensitivity.is_empty() {
        let _ = writeln!(
            out,
            "  no single stated requirement, moved within its range, changes the top choice"
        );
    }
    for entry in &choice.sensitivity {
        let _ = writeln!(out, "  - {}", entry.reason.text);
    }
    let _ = writeln!(
        out,
        "\nRun `dbwise choose --explain ENGINE` for the full trace of any engine."
    );
    out
}

/// Does the ranking agree with the branch the tree takes?
fn tree_verdict(choice: &Choice) -> String {
    let taken = choice.decision_path.iter().find(|step| step.taken);
    match (taken, choice.top()) {
        (_, None) => {
            "No engine survives the hard constraints, so there is nothing to compare with the tree."
                .to_string()
        }
        (None, Some(top)) => format!(
            "No branch of the tree applies; the ranking picks {top} on the weighted criteria."
        ),
        (Some(step), Some(top)) if step.suggests.contains(&top) => {
            format!(
                "The ranking agrees with the tree: {top} is in its {} branch.",
                step.family
            )
        }
        (Some(step), Some(top)) => format!(
            "The ranking picks {top}, outside the tree's {} branch ({}): the tree asks six yes/no questions, the ranking weighs every stated requirement and hard limit.",
            step.family,
            step.suggests.join(", ")
        ),
    }
}

/// The full trace of one engine.
pub fn render_explanation(explanation: &Explanation, brief: &Brief) -> String {
    escape_control_but_lines(&explanation_text(explanation, brief)).into_owned()
}

fn explanation_text(explanation: &Explanation, brief: &Brief) -> String {
    let mut out = String::new();
    let assessment = &explanation.assessment;
    let _ = writeln!(
        out,
        "{} ({}), {} family, as the primary store",
        explanation.engine, explanation.name, explanation.family
    );
    let _ = writeln!(
        out,
        "  {} by default · PACELC {} · licence: {}",
        explanation.cap, explanation.pacelc, explanation.licence
    );
    let _ = writeln!(out, "  scaling: {}", explanation.scaling);
    match (
        explanation.rank,
        &explanation.leader,
        explanation.leader_score,
    ) {
        (Some(rank), Some(leader), Some(leader_score)) => {
            let _ = writeln!(
                out,
                "  rank {rank} of {}, score {:.1} (top choice {leader} at {leader_score:.1})",
                explanation.survivors, explanation.score
            );
        }
        (Some(rank), _, _) => {
            let _ = writeln!(
                out,
                "  rank {rank} of {}, score {:.1}: the top choice",
                explanation.survivors, explanation.score
            );
        }
        (None, _, _) => {
            let _ = writeln!(
                out,
                "  eliminated; it would score {:.1} if the hard constraints below were relaxed",
                explanation.score
            );
        }
    }

    let _ = writeln!(out, "\nHard constraints");
    if assessment.eliminated_by.is_empty() {
        let _ = writeln!(out, "  all met");
    }
    for reason in &assessment.eliminated_by {
        let _ = writeln!(out, "  x {}", reason.text);
        write_evidence(&mut out, brief, reason, "      ");
    }

    let _ = writeln!(out, "\nScore: criteria the brief asks for, heaviest first");
    let _ = writeln!(out, "  points of possible  weight  rating");
    for line in &assessment.lines {
        let _ = writeln!(
            out,
            "  {:>6.1} of {:>4.1}    {:>5.1}  {:>4.1}/5  {}",
            line.points, line.possible, line.weight, line.rating, line.reason.text
        );
        write_evidence(&mut out, brief, &line.reason, "      ");
    }

    if let Some(leader) = &explanation.leader {
        let _ = writeln!(
            out,
            "\nAgainst the top choice ({leader}), largest loss first"
        );
        for gap in &explanation.against_leader {
            let _ = writeln!(
                out,
                "  {:<24} {:>+6.1}  ({:.1} vs {:.1})",
                gap.criterion,
                gap.points - gap.leader_points,
                gap.points,
                gap.leader_points
            );
        }
    }
    out
}
