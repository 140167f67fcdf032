//! The `mapguard` command line: parse arguments, run one command, map the outcome to an exit code.

mod args;
mod commands;
mod exit;
mod vettool;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Args, Command};

fn main() -> ExitCode {
    let argv: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    if let Some(invocation) = vettool::detect(&argv) {
        return vettool::run(invocation);
    }
    let args = Args::parse();
    let status = match args.command {
        Command::Check(check) => commands::check::run(check),
        Command::Rules(rules) => commands::rules::list(&rules),
        Command::Explain(explain) => commands::rules::explain(&explain),
        Command::Size(size) => commands::size::run(size),
        Command::Gc(gc) => commands::gc::run(gc),
        Command::Heap(heap) => commands::heap::run(heap),
        Command::Escape(escape) => commands::escape::run(escape),
        Command::Watch(watch) => commands::watch::run(watch),
        Command::AlertRules(rules) => commands::alert_rules::run(&rules),
        Command::Dashboard(dashboard) => commands::dashboard::run(&dashboard),
    };
    match status {
        Ok(status) => status.into(),
        Err(err) => exit::report_error(&err),
    }
}
