//! `dbwise model`: a NoSQL design derived from a relational schema and access patterns.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use dbwise_catalog::Catalog;
use dbwise_diagnostics::SourceFile;
use dbwise_model::patterns::Patterns;

use crate::inputs::read_schema;
use crate::output::{ReportFormat, emit};

/// The engine to design for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    /// A single-table design: key templates per entity, overloaded GSIs, each pattern's request.
    Dynamodb,
}

#[derive(clap::Args)]
pub struct ModelArgs {
    /// The engine to design for.
    #[arg(value_enum)]
    target: Target,
    /// Schema SQL files or migration folders, replayed in the order given; foreign keys give
    /// the relationships.
    #[arg(long, value_name = "SCHEMA_OR_MIGRATIONS", num_args = 1.., required = true)]
    schema: Vec<PathBuf>,
    /// The access patterns (TOML; see docs/model.md).
    #[arg(long, value_name = "FILE")]
    patterns: PathBuf,
    #[arg(long, value_enum, default_value = "human")]
    format: ReportFormat,
}

pub fn run(args: ModelArgs) -> anyhow::Result<ExitCode> {
    let mut catalog = Catalog::new();
    for (index, file) in read_schema(&args.schema)?.iter().enumerate() {
        if let Some(error) = catalog.replay_file(file, Some(index)).first() {
            anyhow::bail!(
                "{}:{}: schema does not parse: {}; fix the statement or leave the file out",
                file.path(),
                file.line_col(error.span.start).line,
                error.message
            );
        }
    }
    let text = std::fs::read_to_string(&args.patterns)
        .with_context(|| format!("cannot read patterns {}", args.patterns.display()))?;
    let file = SourceFile::new(args.patterns.display().to_string(), text);
    let patterns = Patterns::parse(&file).map_err(anyhow::Error::msg)?;
    let model = dbwise_model::analyse(&catalog, patterns).map_err(anyhow::Error::msg)?;
    let Target::Dynamodb = args.target;
    let design = dbwise_model::dynamodb::design(&model);
    emit(&match args.format {
        ReportFormat::Human => dbwise_report::model::render_dynamodb(&design),
        ReportFormat::Json => dbwise_report::choose::render_json(&design),
    })?;
    let unserved = design.access_patterns.iter().any(|p| p.request.is_none());
    Ok(if unserved {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
