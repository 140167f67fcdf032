//! `mapguard escape`: which maps the compiler moves to the heap, and why, next to the source.
//! Runs `go build -gcflags=-m=2` (or reads its saved output), keeps the map-related escape
//! verdicts with their explanation chains, and joins them to the source.

mod compiler;
mod join;
mod output;

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::exit::ExitStatus;

#[derive(Debug, Args)]
pub(crate) struct EscapeArgs {
    /// Packages to build, as the go command takes them (default `./...`).
    pub(crate) packages: Vec<String>,
    /// Read saved `go build -gcflags=-m=2` output from FILE (`-` for stdin) instead of running go.
    #[arg(long, value_name = "FILE")]
    pub(crate) input: Option<String>,
    /// Directory to run go in, and that relative paths in the compiler output are relative to
    /// (default: the current directory).
    #[arg(short = 'C', long, value_name = "DIR")]
    pub(crate) dir: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
    /// Only maps that end up on the heap (drop `does not escape` verdicts).
    #[arg(long)]
    pub(crate) heap_only: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
}

pub(crate) fn run(args: EscapeArgs) -> anyhow::Result<ExitStatus> {
    let cwd = std::env::current_dir()?;
    let dir = match &args.dir {
        Some(dir) => cwd.join(dir),
        None => cwd,
    };
    let compiled = match &args.input {
        Some(input) => compiler::read_saved(input)?,
        None => compiler::run_go_build(&args.packages, &dir)?,
    };
    let report = mapguard_gotool::parse_escape_output(&compiled.text);
    let mut findings = join::map_escapes(&report, &dir);
    if args.heap_only {
        findings.retain(|f| f.on_heap());
    }
    let errors = join::compile_errors(&report, &compiled);
    match args.format {
        Format::Text => output::print_text(&findings, &errors)?,
        Format::Json => output::print_json(&report, &findings, &errors)?,
    }
    Ok(if errors.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Error
    })
}
