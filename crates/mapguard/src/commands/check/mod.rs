//! `mapguard check`: static map-hazard rules over Go packages.

mod fix;
mod output;
mod progress;

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use mapguard_diagnostics::{Diagnostic, InputError, Location, Severity, TextRange};
use mapguard_go::index::Index;
use mapguard_go::{BuildContext, LoadOptions, Program};
use mapguard_lint::Settings;

use crate::exit::ExitStatus;

/// Code given to syntax-error warnings; they do not count as findings.
pub(crate) const SYNTAX_ERROR: &str = "MG000";

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// Package patterns as the go command takes them: `./...`, `./pkg/...`, directories, `.go` files.
    #[arg(default_value = "./...")]
    pub(crate) patterns: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
    /// Apply safe fixes to the files.
    #[arg(long)]
    pub(crate) fix: bool,
    /// With --fix, also apply fixes marked unsafe.
    #[arg(long)]
    pub(crate) unsafe_fixes: bool,
    /// Only run these rules: codes, code prefixes (MG2) or names, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub(crate) select: Vec<String>,
    /// Do not run these rules: codes, code prefixes or names, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub(crate) ignore: Vec<String>,
    /// Target operating system for build constraints.
    #[arg(long, env = "GOOS", default_value = "linux")]
    pub(crate) goos: String,
    /// Target architecture for build constraints.
    #[arg(long, env = "GOARCH", default_value = "amd64")]
    pub(crate) goarch: String,
    /// Extra build tags, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub(crate) tags: Vec<String>,
    /// Analyse `_test.go` files (`--tests=false` to skip them).
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
    pub(crate) tests: bool,
    /// Colour: auto (a terminal without NO_COLOR), always or never.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub(crate) color: Color,
    /// Print one line per finding, without source snippets.
    #[arg(long)]
    pub(crate) no_source: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
    Sarif,
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Color {
    Auto,
    Always,
    Never,
}

pub(crate) fn run(args: CheckArgs) -> anyhow::Result<ExitStatus> {
    let cwd = std::env::current_dir()?;
    for selector in args.select.iter().chain(&args.ignore) {
        if !mapguard_lint::registry::matches_any_rule(selector) {
            anyhow::bail!(
                "--select/--ignore: unknown rule or prefix {selector:?} (see `mapguard rules`)"
            );
        }
    }
    let progress = progress::Progress::start(args.format == Format::Text);
    let options = LoadOptions {
        build: BuildContext {
            goos: args.goos.clone(),
            goarch: args.goarch.clone(),
            tags: args.tags.clone(),
            tests: args.tests,
        },
        exclude: Vec::new(),
    };
    let program = mapguard_go::load(&args.patterns, &cwd, &options);
    progress.message(format!("checking {} packages", program.packages.len()));
    let mut errors: Vec<InputError> = program
        .errors
        .iter()
        .map(|e| InputError::new(shown(&e.path, &cwd), e.message.clone()))
        .collect();
    let settings = module_settings(&program, &args, &mut errors, &cwd);
    let index = Index::build(&program);
    // Packages outside any module get the defaults, with the command line applied all the same.
    let fallback = with_flags(Settings::default(), &args);
    let mut diagnostics = mapguard_lint::check(&program, &index, &|package| {
        package
            .module
            .and_then(|m| settings.get(m))
            .unwrap_or(&fallback)
    });
    progress.finish();

    if args.fix {
        let fixed = fix::apply(&program, &diagnostics, &cwd, args.unsafe_fixes, &mut errors);
        diagnostics.retain(|d| !fixed.contains(d));
    }
    let mut reported = syntax_warnings(&program);
    reported.extend(diagnostics);
    mapguard_diagnostics::sort_diagnostics(&mut reported);
    output::print(&args, &program, &reported, &errors, &cwd)?;

    let findings = reported.iter().filter(|d| d.code != SYNTAX_ERROR).count();
    // The process ends here: freeing every syntax tree one by one would only add time.
    std::mem::forget(index);
    std::mem::forget(program);
    Ok(if !errors.is_empty() {
        ExitStatus::Error
    } else if findings > 0 {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// Each module's `mapguard.toml` with the command-line selection applied on top.
fn module_settings(
    program: &Program,
    args: &CheckArgs,
    errors: &mut Vec<InputError>,
    cwd: &Path,
) -> Vec<Settings> {
    program
        .modules
        .iter()
        .map(|module| {
            let settings = Settings::from_dir(&module.root).unwrap_or_else(|err| {
                errors.push(InputError::new(shown(&err.path, cwd), err.message));
                Settings::default()
            });
            with_flags(settings, args)
        })
        .collect()
}

/// `--select` replaces the configured selection; `--ignore` adds to it.
fn with_flags(mut settings: Settings, args: &CheckArgs) -> Settings {
    if !args.select.is_empty() {
        settings.select.clone_from(&args.select);
    }
    settings.ignore.extend(args.ignore.iter().cloned());
    settings
}

fn syntax_warnings(program: &Program) -> Vec<Diagnostic> {
    program
        .warnings
        .iter()
        .map(|w| {
            let location = Location {
                path: w.path.clone(),
                range: TextRange::new(0, 0),
                start: mapguard_diagnostics::LineCol::new(w.line, w.column),
                end: mapguard_diagnostics::LineCol::new(w.line, w.column),
            };
            Diagnostic::new(
                SYNTAX_ERROR,
                "syntax-error",
                Severity::Warning,
                w.message.clone(),
                location,
            )
        })
        .collect()
}

fn shown(path: &Path, cwd: &Path) -> String {
    mapguard_go::load::display_path(&PathBuf::from(path), cwd)
}
