//! `dbwise choose`: rank database engines for a design brief and explain the choice.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use dbwise_choose::{
    Brief, KnowledgeBase, NO_ENGINE, choose, explain, render_explanation, render_human, render_json,
};
use dbwise_diagnostics::SourceFile;

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(clap::Args)]
pub struct ChooseArgs {
    /// The design brief (TOML; every key optional, see docs/brief.md).
    #[arg(value_name = "BRIEF")]
    brief: Option<PathBuf>,
    /// Show the full trace for one engine: constraints, every weighted criterion, the gap to the top choice.
    #[arg(long, value_name = "ENGINE")]
    explain: Option<String>,
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// List the engines in the knowledge base and exit.
    #[arg(long)]
    list_engines: bool,
}

pub fn run(args: ChooseArgs) -> anyhow::Result<ExitCode> {
    let kb = KnowledgeBase::embedded().context("the built-in knowledge base is invalid")?;
    if args.list_engines {
        for engine in kb.engines() {
            let roles: Vec<&str> = engine.roles.iter().map(|role| role.name()).collect();
            println!("{:<14} {:<22} {}", engine.id, engine.name, roles.join(", "));
        }
        return Ok(ExitCode::SUCCESS);
    }
    let Some(path) = args.brief else {
        anyhow::bail!(
            "missing the design brief: run `dbwise choose BRIEF.toml` (see docs/brief.md)"
        );
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read brief {}", path.display()))?;
    let file = SourceFile::new(path.display().to_string(), text);
    let brief = match Brief::parse(&file) {
        Ok(brief) => brief,
        Err(errors) => {
            for error in &errors.0 {
                eprintln!("dbwise: error: {error}");
            }
            eprintln!(
                "dbwise: the brief has {} error(s); nothing was ranked",
                errors.0.len()
            );
            return Ok(ExitCode::from(2));
        }
    };
    if let Some(id) = args.explain {
        let Some(explanation) = explain(&brief, &kb, &id) else {
            anyhow::bail!(
                "unknown engine `{id}`; known engines: {}",
                kb.ids().join(", ")
            );
        };
        match args.format {
            Format::Human => print!("{}", render_explanation(&explanation, &brief)),
            Format::Json => print!("{}", render_json(&explanation)),
        }
        return Ok(ExitCode::SUCCESS);
    }
    let choice = choose(&brief, &kb);
    match args.format {
        Format::Human => print!("{}", render_human(&choice, &brief)),
        Format::Json => print!("{}", render_json(&choice)),
    }
    let nothing_fits = choice
        .warnings
        .iter()
        .any(|warning| warning.rule == NO_ENGINE);
    Ok(if nothing_fits {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
