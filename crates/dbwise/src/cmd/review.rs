use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use dbwise_diagnostics::Finding;

use clap::Parser;

use crate::cmd::{
    self, inspect,
    lint::{self, LintOptions},
};
use crate::config::{self, Config};
use crate::output::Format;

/// Parses a subcommand's own arguments, so a review step gets exactly that command's defaults.
#[derive(Parser)]
struct Sub<A: clap::Args> {
    #[command(flatten)]
    args: A,
}

/// Workload and choose reports come as human text or JSON.
fn sub_format(options: &LintOptions) -> &'static str {
    if options.format == Format::Json {
        "json"
    } else {
        "human"
    }
}

#[derive(clap::Args)]
pub struct ReviewArgs {
    /// The project folder holding dbwise.toml (default: the current folder or a parent's).
    pub project: Option<PathBuf>,
    #[command(flatten)]
    pub common: LintOptions,
    #[command(flatten)]
    pub live: inspect::LiveOptions,
}

pub fn run(mut args: ReviewArgs) -> anyhow::Result<ExitCode> {
    let config_path = match (&args.common.config, &args.project) {
        (Some(path), _) => path.clone(),
        (None, Some(dir)) => {
            let path = dir.join(config::FILE_NAME);
            anyhow::ensure!(
                path.is_file(),
                "{}: no {} in this project folder",
                dir.display(),
                config::FILE_NAME
            );
            path
        }
        (None, None) => config::discover(&std::env::current_dir()?).with_context(|| {
            format!(
                "no {} here or in a parent folder; name the project folder",
                config::FILE_NAME
            )
        })?,
    };
    let config = config::load(&config_path)?;
    // The configured workload gives lint's findings what migrate impact says of them, unless
    // --workload names another.
    if args.common.workload.is_empty() {
        args.common.workload = config.review.workload.clone().unwrap_or_default();
    }
    let steps = config
        .review
        .run
        .clone()
        .unwrap_or_else(|| vec!["lint".to_owned()]);
    // With a database, lint's step reports inspect's findings too, merged with its own.
    let merged = args.common.database_url.is_some() && steps.iter().any(|s| s == "lint");
    // The inputs of the steps that read the workload.
    let workload_files = |step: &str| -> anyhow::Result<Vec<PathBuf>> {
        let files = config.review.workload.clone().unwrap_or_default();
        anyhow::ensure!(
            !files.is_empty(),
            "{}: [review] runs {step} but [review] workload lists no files",
            config_path.display()
        );
        Ok(files)
    };
    let mut code = ExitCode::SUCCESS;
    for step in &steps {
        let step_code = match step.as_str() {
            "lint" => {
                let path = config.migrations_path.clone().with_context(|| {
                    format!(
                        "{}: [review] runs lint but [migrations] path is not set",
                        config_path.display()
                    )
                })?;
                if merged {
                    lint_and_inspect(path, &config, &args)?
                } else {
                    lint::run_lint(&[path], &config, &args.common)?
                }
            }
            "inspect" if merged => continue,
            "workload" => {
                let files = workload_files(step)?;
                let mut argv = vec![
                    "workload".to_owned(),
                    "--format".into(),
                    sub_format(&args.common).into(),
                ];
                argv.extend(files.iter().map(|f| f.display().to_string()));
                cmd::workload::run(Sub::<cmd::workload::WorkloadArgs>::try_parse_from(argv)?.args)?
            }
            "choose" => {
                let brief = config.review.brief.clone().with_context(|| {
                    format!(
                        "{}: [review] runs choose but [review] brief is not set",
                        config_path.display()
                    )
                })?;
                let argv = vec![
                    "choose".to_owned(),
                    "--format".into(),
                    sub_format(&args.common).into(),
                    brief.display().to_string(),
                ];
                cmd::choose::run(Sub::<cmd::choose::ChooseArgs>::try_parse_from(argv)?.args)?
            }
            "impact" => {
                let path = config.migrations_path.clone().with_context(|| {
                    format!(
                        "{}: [review] runs impact but [migrations] path is not set",
                        config_path.display()
                    )
                })?;
                let mut argv = vec![
                    "impact".to_owned(),
                    "--format".into(),
                    sub_format(&args.common).into(),
                    "--config".into(),
                    config_path.display().to_string(),
                ];
                for file in workload_files(step)? {
                    argv.extend(["--workload".to_owned(), file.display().to_string()]);
                }
                if let Some(url) = &args.common.database_url {
                    argv.extend(["--database-url".to_owned(), url.clone()]);
                }
                argv.push(path.display().to_string());
                cmd::migrate::impact(Sub::<cmd::migrate::ImpactArgs>::try_parse_from(argv)?.args)?
            }
            "inspect" => inspect::run_inspect(&config, &args.common, &args.live)?,
            other => anyhow::bail!("{}: unknown review step `{other}`", config_path.display()),
        };
        if step_code != ExitCode::SUCCESS {
            code = step_code;
        }
    }
    Ok(code)
}

/// Lint the migration history at `path` and inspect the database, and print their findings as
/// one report (with inspect's workload).
fn lint_and_inspect(path: PathBuf, config: &Config, args: &ReviewArgs) -> anyhow::Result<ExitCode> {
    let mut history = lint::lint_report(&[path], config, &args.common)?;
    let live = inspect::inspect_report(config, &args.common, &args.live)?;
    history.findings = merge(std::mem::take(&mut history.findings), live.findings);
    inspect::print(
        &history.findings,
        &history.summary,
        live.workload.as_ref(),
        args.common.format,
    )?;
    Ok(history.exit_code(config, &args.common))
}

/// The history's findings and the live ones, with each finding both report (the same rule with
/// the same message, which names the object) kept once: the live one, judged with the real
/// sizes, saying where the history declares it.
fn merge(history: Vec<Finding>, mut live: Vec<Finding>) -> Vec<Finding> {
    let found: HashMap<(&str, &str), usize> = live
        .iter()
        .enumerate()
        .map(|(i, f)| ((f.rule, f.message.as_str()), i))
        .collect();
    let mut declared = Vec::new();
    let mut merged = Vec::with_capacity(history.len() + live.len());
    for finding in history {
        match found.get(&(finding.rule, finding.message.as_str())) {
            Some(&i) => declared.extend(finding.file.as_ref().map(|file| {
                let line = file.line_col(finding.span.start).line;
                (i, format!("{}:{line}", file.path()))
            })),
            None => merged.push(finding),
        }
    }
    for (i, place) in declared {
        let same = &mut live[i];
        same.why = format!("{} The migration history declares it at {place}.", same.why);
    }
    merged.extend(live);
    merged
}
