//! Output format selection and terminal colour.

use std::io::{IsTerminal, Write};

use anyhow::Context;

use clap::ValueEnum;
use dbwise_diagnostics::Severity;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
    /// A pull-request comment: summary table, then each finding with its source line and fix.
    Markdown,
    /// GitLab Code Quality report (the merge request's `codequality` artifact).
    Gitlab,
}

/// `--format` of the commands whose report is either for people or for programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Human,
    Json,
}

/// `--fail-on`: the least severe finding that makes the exit status 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    /// The severity at and above which a finding fails the run; `None` for `never`.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

/// Colour only on a terminal, and never when `NO_COLOR` is set to anything non-empty.
pub fn use_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Bytes of output collected before each write to stdout: a large result is written in a few
/// hundred calls instead of thousands.
const OUTPUT_BUFFER: usize = 64 << 10;

/// Write a result to stdout through `write`, buffered; a reader that closed the pipe early
/// (`| head`) is not an error.
pub fn emit_with(
    write: impl FnOnce(&mut std::io::BufWriter<std::io::StdoutLock<'static>>) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(OUTPUT_BUFFER, std::io::stdout().lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(error).context("writing the result")
        }
        _ => Ok(()),
    }
}

/// Write a result to stdout ([`emit_with`]).
pub fn emit(text: &str) -> anyhow::Result<()> {
    emit_with(|out| out.write_all(text.as_bytes()))
}
