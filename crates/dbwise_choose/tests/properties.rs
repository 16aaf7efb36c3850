//! Properties that hold for every brief: determinism, traceable reasons, consistent explanations,
//! and sensitivity thresholds that really flip the top choice.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use dbwise_choose::{Brief, Choice, Key, Kind, KnowledgeBase, Value, choose, explain, top_choice};
use dbwise_diagnostics::SourceFile;
use dbwise_report::choose::{render_human, render_json};

fn briefs() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["tests/scenarios", "../../examples/briefs"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|ext| ext == "toml") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path, text));
            }
        }
    }
    out.sort();
    out
}

/// Every brief with its result, computed once and shared by the tests below.
fn cases() -> &'static [(String, Brief, Choice)] {
    static CASES: OnceLock<Vec<(String, Brief, Choice)>> = OnceLock::new();
    CASES.get_or_init(|| {
        let kb = KnowledgeBase::embedded().unwrap();
        briefs()
            .into_iter()
            .map(|(path, text)| {
                let path = path.display().to_string();
                let brief = parse(&path, &text);
                let choice = choose(&brief, &kb);
                (path, brief, choice)
            })
            .collect()
    })
}

fn parse(path: &str, text: &str) -> Brief {
    Brief::parse(&SourceFile::new(path, text)).unwrap_or_else(|errors| panic!("{errors}"))
}

#[test]
fn the_same_brief_gives_byte_identical_output() {
    let kb = KnowledgeBase::embedded().unwrap();
    for (path, brief, choice) in cases() {
        let text = std::fs::read_to_string(path).unwrap();
        let again = parse(path, &text);
        let fresh = choose(&again, &kb);
        assert_eq!(render_json(choice), render_json(&fresh), "{path}");
        assert_eq!(
            render_human(choice, brief),
            render_human(&fresh, &again),
            "{path}"
        );
    }
}

#[test]
fn key_order_in_the_file_does_not_change_the_json() {
    let ordered = "[data]\nshape = \"relational\"\nvolume_gb = 200\n[traffic]\nreads_per_sec = 30000\nwrites_per_sec = 900\n[queries]\nkey_lookup_share = 0.8\nfull_text_search = true\n";
    let shuffled = "[queries]\nfull_text_search = true\nkey_lookup_share = 0.8\n\n[traffic]\nwrites_per_sec = 900\nreads_per_sec = 30000\n\n[data]\nvolume_gb = 200\nshape = \"relational\"\n";
    let kb = KnowledgeBase::embedded().unwrap();
    let a = render_json(&choose(&parse("a.toml", ordered), &kb));
    let b = render_json(&choose(&parse("b.toml", shuffled), &kb));
    assert_eq!(a, b);
}

#[test]
fn every_reason_refers_to_a_brief_key_it_sets_or_a_real_fact() {
    let kb = KnowledgeBase::embedded().unwrap();
    let mut checked = 0;
    for (path, brief, choice) in cases() {
        for reason in choice.reasons() {
            assert!(!reason.text.trim().is_empty(), "{path}: empty reason");
            assert!(
                !reason.brief_keys.is_empty() || !reason.facts.is_empty(),
                "{path}: `{}` cites neither a brief key nor a fact",
                reason.text
            );
            for key in &reason.brief_keys {
                assert!(
                    brief.is_set(*key),
                    "{path}: `{}` cites {key}, which the brief does not set",
                    reason.text
                );
            }
            for fact in &reason.facts {
                let engine = kb
                    .engine(&fact.engine)
                    .unwrap_or_else(|| panic!("{path}: unknown engine {}", fact.engine));
                let known = engine.fact(&fact.fact).unwrap_or_else(|| {
                    panic!(
                        "{path}: `{}` cites unknown fact {}/{}",
                        reason.text, fact.engine, fact.fact
                    )
                });
                assert_eq!(known.claim, fact.claim);
                assert!(fact.source.starts_with("https://"));
            }
            checked += 1;
        }
    }
    assert!(checked > 1000, "only {checked} reasons checked");
}

#[test]
fn json_has_the_documented_shape_and_ranks_best_first() {
    let kb = KnowledgeBase::embedded().unwrap();
    for (path, text) in briefs() {
        let path = path.display().to_string();
        let brief = parse(&path, &text);
        let json: serde_json::Value =
            serde_json::from_str(&render_json(&choose(&brief, &kb))).unwrap();
        for field in [
            "ranking",
            "eliminated",
            "architecture",
            "decision_path",
            "sensitivity",
            "warnings",
        ] {
            assert!(json[field].is_array(), "{path}: `{field}` is missing");
        }
        let scores: Vec<f64> = json["ranking"]
            .as_array()
            .unwrap()
            .iter()
            .map(|entry| {
                assert!(entry["engine"].is_string() && entry["reasons"].is_array());
                entry["score"].as_f64().unwrap()
            })
            .collect();
        assert!(
            scores.windows(2).all(|pair| pair[0] >= pair[1]),
            "{path}: {scores:?}"
        );
        for member in json["architecture"].as_array().unwrap() {
            assert!(
                member["role"].is_string()
                    && member["engine"].is_string()
                    && member["why"].is_array()
            );
        }
        for eliminated in json["eliminated"].as_array().unwrap() {
            assert!(
                !eliminated["reasons"].as_array().unwrap().is_empty(),
                "{path}"
            );
        }
    }
}

#[test]
fn explanations_agree_with_the_ranking() {
    let kb = KnowledgeBase::embedded().unwrap();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/product-catalogue.toml"),
    )
    .unwrap();
    let brief = parse("product-catalogue.toml", &text);
    let choice = choose(&brief, &kb);
    for engine in kb.engines() {
        let explanation = explain(&brief, &kb, &engine.id).unwrap();
        match choice
            .ranking
            .iter()
            .position(|ranked| ranked.engine == engine.id)
        {
            Some(index) => {
                assert_eq!(explanation.rank, Some(index + 1), "{}", engine.id);
                assert_eq!(
                    explanation.score, choice.ranking[index].score,
                    "{}",
                    engine.id
                );
                assert!(explanation.assessment.eliminated_by.is_empty());
            }
            None => {
                assert_eq!(explanation.rank, None, "{}", engine.id);
                assert!(
                    !explanation.assessment.eliminated_by.is_empty(),
                    "{}",
                    engine.id
                );
            }
        }
        if explanation.rank.is_some_and(|rank| rank > 1) {
            assert!(
                explanation
                    .against_leader
                    .iter()
                    .any(|gap| gap.points < gap.leader_points),
                "{} ranks below the leader, so it must lose somewhere",
                engine.id
            );
        }
    }
    assert!(explain(&brief, &kb, "oracle").is_none());
}

#[test]
fn sensitivity_thresholds_really_change_the_top_choice() {
    let kb = KnowledgeBase::embedded().unwrap();
    let mut verified = 0;
    for (path, brief, choice) in cases() {
        for entry in &choice.sensitivity {
            let Some(&Value::Number(now)) = brief.get(entry.key) else {
                continue;
            };
            let threshold: f64 = entry.changed_to.replace(',', "").parse().unwrap();
            let up = threshold > now;
            // Rounded to two significant digits: probe 10% on either side of the threshold.
            let integer = matches!(entry.key.kind(), Kind::Number { integer: true, .. });
            let (beyond, before) = match (up, integer) {
                (true, false) => (threshold * 1.1, (threshold * 0.9).max(now)),
                (false, false) => (threshold * 0.9, (threshold * 1.1).min(now)),
                (true, true) => (threshold, threshold - 1.0),
                (false, true) => (threshold, threshold + 1.0),
            };
            let at = |value: f64| {
                let mut moved = brief.clone();
                moved.set_number_clamped(entry.key, value);
                top_choice(&moved, &kb)
            };
            assert_eq!(
                at(before).as_deref(),
                choice.top(),
                "{path}: {} (before, at {before})",
                entry.reason.text
            );
            assert_ne!(
                at(beyond).as_deref(),
                choice.top(),
                "{path}: {} (beyond, at {beyond})",
                entry.reason.text
            );
            verified += 1;
        }
    }
    assert!(
        verified >= 20,
        "only {verified} numeric thresholds verified"
    );
}

#[test]
fn the_write_rate_crossover_is_reported_for_a_relational_brief() {
    let kb = KnowledgeBase::embedded().unwrap();
    let text = "[data]\nshape = \"wide-column\"\n[queries]\nkey_lookup_share = 0.9\n[traffic]\nwrites_per_sec = 2000\n[availability]\nprefer_during_partition = \"consistency\"\n";
    let brief = parse("w.toml", text);
    let choice = choose(&brief, &kb);
    let writes = choice
        .sensitivity
        .iter()
        .find(|entry| entry.key == Key::WritesPerSec)
        .expect("the write rate matters for this brief");
    assert!(
        writes.reason.text.starts_with("above ~"),
        "{}",
        writes.reason.text
    );
    assert!(
        writes.reason.text.contains("(now 2000)"),
        "{}",
        writes.reason.text
    );
    assert_ne!(writes.new_top.as_deref(), choice.top());
}

#[test]
fn a_contradiction_is_a_warning_tied_to_the_brief_lines() {
    let kb = KnowledgeBase::embedded().unwrap();
    let text = "[consistency]\nstrong_reads = true\n\n[availability]\nprefer_during_partition = \"availability\"\n";
    let brief = parse("cap.toml", text);
    let choice = choose(&brief, &kb);
    let warning = choice
        .warnings
        .iter()
        .find(|warning| warning.rule == "contradictory-requirements")
        .expect("CAP conflict is reported");
    assert_eq!(
        warning.reason.brief_keys,
        [Key::StrongReads, Key::PreferDuringPartition]
    );
    let finding = warning.to_finding(&brief);
    assert_eq!(finding.path(), "cap.toml");
    let line = finding
        .file
        .as_ref()
        .unwrap()
        .line_col(finding.span.start)
        .line;
    assert_eq!(line, 2);
    assert!(
        choice.top().is_some(),
        "a contradiction warns, it does not stop the ranking"
    );
}

/// A small deterministic generator, so the random briefs are the same on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % below
    }
}

#[test]
fn random_briefs_never_break_the_invariants() {
    let kb = KnowledgeBase::embedded().unwrap();
    let mut random = Lcg(7);
    for round in 0..25 {
        let mut brief = Brief::new();
        for key in Key::ALL {
            if random.next(3) == 0 {
                continue;
            }
            let value = match key.kind() {
                Kind::Text => Value::Text(format!("random {round}")),
                Kind::Bool => Value::Bool(random.next(2) == 0),
                Kind::Choice(allowed) => Value::Choice(allowed[random.next(allowed.len())]),
                Kind::Number { max, integer, .. } => {
                    let magnitude: f64 =
                        [0.0, 0.5, 3.0, 40.0, 900.0, 25_000.0, 700_000.0][random.next(7)];
                    let value = if max <= 1.0 {
                        magnitude.min(1.0) / 2.0
                    } else {
                        magnitude.min(max)
                    };
                    Value::Number(if integer {
                        value.round()
                    } else {
                        value.max(0.001)
                    })
                }
            };
            brief.set(key, value).unwrap();
        }
        let choice = choose(&brief, &kb);
        let context = brief.to_toml();
        let scores: Vec<f64> = choice.ranking.iter().map(|ranked| ranked.score).collect();
        assert!(
            scores.windows(2).all(|pair| pair[0] >= pair[1]),
            "{context}"
        );
        assert_eq!(
            choice.ranking.len() + choice.eliminated.len(),
            kb.engines().len(),
            "{context}"
        );
        match choice.top() {
            Some(top) => assert_eq!(choice.architecture[0].engine, top, "{context}"),
            None => {
                assert!(choice.architecture.is_empty(), "{context}");
                assert!(
                    choice
                        .warnings
                        .iter()
                        .any(|warning| warning.rule == "no-engine-fits"),
                    "{context}"
                );
            }
        }
        for reason in choice.reasons() {
            assert!(
                !reason.brief_keys.is_empty() || !reason.facts.is_empty(),
                "{context}: {}",
                reason.text
            );
            assert!(
                reason.brief_keys.iter().all(|key| brief.is_set(*key)),
                "{context}: {}",
                reason.text
            );
        }
        assert_eq!(
            render_json(&choice),
            render_json(&choose(&brief, &kb)),
            "{context}"
        );
    }
}
