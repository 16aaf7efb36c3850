use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use clap::Parser;

use crate::cmd::{
    self,
    lint::{self, LintOptions},
};
use crate::config;
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
}

pub fn run(args: ReviewArgs) -> anyhow::Result<ExitCode> {
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
    let steps = config
        .review
        .run
        .clone()
        .unwrap_or_else(|| vec!["lint".to_owned()]);
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
                lint::run_lint(&[path], &config, &args.common)?
            }
            "workload" => {
                let files = config.review.workload.clone().unwrap_or_default();
                anyhow::ensure!(
                    !files.is_empty(),
                    "{}: [review] runs workload but [review] workload lists no files",
                    config_path.display()
                );
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
            "inspect" => {
                let live = Sub::<cmd::inspect::LiveOptions>::try_parse_from(["inspect"])?.args;
                cmd::inspect::run_inspect(&config, &args.common, &live)?
            }
            other => anyhow::bail!("{}: unknown review step `{other}`", config_path.display()),
        };
        if step_code != ExitCode::SUCCESS {
            code = step_code;
        }
    }
    Ok(code)
}
