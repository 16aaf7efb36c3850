use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::cmd::lint::{self, LintOptions};
use crate::config;

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
            other => anyhow::bail!(
                "{}: the `{other}` review step is not available in this build",
                config_path.display()
            ),
        };
        if step_code != ExitCode::SUCCESS {
            code = step_code;
        }
    }
    Ok(code)
}
