//! Scenario briefs: each file under `tests/scenarios/` states its expected outcome and why.
//!
//! Directives (comment lines at the top of the brief):
//! - `# expect-top: ENGINE` (or `none` when every engine must be eliminated)
//! - `# expect-not-top: ENGINE`
//! - `# expect-member: ROLE ENGINE` / `# expect-not-member: ROLE ENGINE`
//! - `# expect-eliminated: ENGINE`
//! - `# expect-warning: RULE`
//! - `# why: ...` (required: the reason the expectation is right)

use std::path::{Path, PathBuf};

use dbwise_choose::{Brief, Choice, KnowledgeBase, choose};
use dbwise_diagnostics::SourceFile;

#[derive(Debug)]
enum Expect {
    Top(Option<String>),
    NotTop(String),
    Member(String, String),
    NotMember(String, String),
    Eliminated(String),
    Warning(String),
}

struct Scenario {
    path: PathBuf,
    brief: Brief,
    expects: Vec<Expect>,
    why: String,
}

fn scenario_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios")
}

fn load(path: &Path) -> Scenario {
    let text = std::fs::read_to_string(path).unwrap();
    let brief = Brief::parse(&SourceFile::new(path.display().to_string(), text.clone()))
        .unwrap_or_else(|errors| panic!("{errors}"));
    let mut expects = Vec::new();
    let mut why = String::new();
    for line in text.lines() {
        let Some(directive) = line.strip_prefix("# ") else {
            continue;
        };
        let Some((name, value)) = directive.split_once(": ") else {
            continue;
        };
        let value = value.trim().to_string();
        let pair = || {
            let (role, engine) = value.split_once(' ').expect("ROLE ENGINE");
            (role.to_string(), engine.to_string())
        };
        match name {
            "expect-top" => expects.push(Expect::Top((value != "none").then_some(value))),
            "expect-not-top" => expects.push(Expect::NotTop(value)),
            "expect-member" => {
                let (role, engine) = pair();
                expects.push(Expect::Member(role, engine));
            }
            "expect-not-member" => {
                let (role, engine) = pair();
                expects.push(Expect::NotMember(role, engine));
            }
            "expect-eliminated" => expects.push(Expect::Eliminated(value)),
            "expect-warning" => expects.push(Expect::Warning(value)),
            "why" => why = value,
            other if other.starts_with("expect") => {
                panic!("{}: unknown directive `{other}`", path.display())
            }
            _ => {}
        }
    }
    Scenario {
        path: path.to_path_buf(),
        brief,
        expects,
        why,
    }
}

fn scenarios() -> Vec<Scenario> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(scenario_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    paths.sort();
    paths.iter().map(|path| load(path)).collect()
}

fn has_member(choice: &Choice, role: &str, engine: &str) -> bool {
    choice
        .architecture
        .iter()
        .any(|member| member.role.name() == role && member.engine == engine)
}

fn check(choice: &Choice, expect: &Expect) -> Result<(), String> {
    let ok = match expect {
        Expect::Top(engine) => choice.top() == engine.as_deref(),
        Expect::NotTop(engine) => choice.top() != Some(engine.as_str()),
        Expect::Member(role, engine) => has_member(choice, role, engine),
        Expect::NotMember(role, engine) => !has_member(choice, role, engine),
        Expect::Eliminated(engine) => choice.eliminated.iter().any(|e| &e.engine == engine),
        Expect::Warning(rule) => choice.warnings.iter().any(|w| w.rule == rule),
    };
    if ok {
        return Ok(());
    }
    let ranking: Vec<String> = choice
        .ranking
        .iter()
        .take(4)
        .map(|r| format!("{} {:.1}", r.engine, r.score))
        .collect();
    let architecture: Vec<String> = choice
        .architecture
        .iter()
        .map(|m| format!("{} {}", m.role.name(), m.engine))
        .collect();
    let warnings: Vec<&str> = choice.warnings.iter().map(|w| w.rule).collect();
    Err(format!(
        "{expect:?} failed; ranking: {ranking:?}; architecture: {architecture:?}; warnings: {warnings:?}"
    ))
}

#[test]
fn every_scenario_meets_its_expectations() {
    let kb = KnowledgeBase::embedded().unwrap();
    let mut failures = Vec::new();
    for scenario in scenarios() {
        let choice = choose(&scenario.brief, &kb);
        for expect in &scenario.expects {
            if let Err(message) = check(&choice, expect) {
                failures.push(format!("{}: {message}", scenario.path.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_scenario_has_an_expected_outcome_and_a_written_reason() {
    let all = scenarios();
    assert!(all.len() >= 25, "only {} scenarios", all.len());
    for scenario in &all {
        let name = scenario.path.display();
        assert!(
            scenario.expects.iter().any(|e| matches!(e, Expect::Top(_))),
            "{name} has no expect-top"
        );
        assert!(
            scenario.why.len() >= 40,
            "{name} needs a `# why:` line explaining the expectation"
        );
    }
}

#[test]
fn every_engine_is_expected_somewhere_as_top_choice_or_architecture_member() {
    let kb = KnowledgeBase::embedded().unwrap();
    let mut covered: Vec<String> = Vec::new();
    for scenario in scenarios() {
        for expect in &scenario.expects {
            match expect {
                Expect::Top(Some(engine)) | Expect::Member(_, engine) => {
                    covered.push(engine.clone())
                }
                _ => {}
            }
        }
    }
    let missing: Vec<&str> = kb
        .ids()
        .into_iter()
        .filter(|id| !covered.iter().any(|c| c == id))
        .collect();
    assert!(missing.is_empty(), "no scenario expects {missing:?}");
}

#[test]
fn the_example_briefs_parse_and_rank() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/briefs");
    let kb = KnowledgeBase::embedded().unwrap();
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|ext| ext != "toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let brief = Brief::parse(&SourceFile::new(path.display().to_string(), text))
            .unwrap_or_else(|errors| panic!("{errors}"));
        let choice = choose(&brief, &kb);
        assert!(choice.brief.is_some(), "{} has no name", path.display());
        assert!(!choice.decision_path.is_empty());
        count += 1;
    }
    assert!(count >= 8, "only {count} example briefs");
}
