//! One `vet.cfg` run: read the unit, answer facts-only runs at once, check the unit's files and
//! report in the shape the go command reads.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use mapguard_diagnostics::{Diagnostic, sort_diagnostics};
use mapguard_go::index::Index;
use mapguard_gotool::VetConfig;
use mapguard_lint::Settings;

use super::{flags, program, report};

/// What checking one unit found.
pub(super) struct UnitResult {
    pub(super) diagnostics: Vec<Diagnostic>,
    /// Problems with the unit's files or the module's `mapguard.toml`, one line each.
    pub(super) errors: Vec<String>,
}

pub(super) fn run(raw_flags: &[String], config_path: &Path) -> ExitCode {
    let flags = flags::parse(raw_flags);
    let config = match std::fs::read(config_path)
        .map_err(|e| e.to_string())
        .and_then(|bytes| VetConfig::parse(&bytes).map_err(|e| e.to_string()))
    {
        Ok(config) => config,
        Err(err) => return fail(&format!("{}: {err}", config_path.display())),
    };
    // An empty facts file lets the go command cache facts-only runs; mapguard has no facts.
    if let Some(vetx) = non_empty(config.vetx_output.as_ref())
        && let Err(err) = std::fs::write(vetx, b"")
    {
        return fail(&format!("{}: {err}", vetx.display()));
    }
    // Go 1.26+ names a file for what would go to stdout (the -json tree).
    let mut out: Box<dyn Write> = match non_empty(config.stdout.as_ref()) {
        Some(path) => match std::fs::File::create(path) {
            Ok(file) => Box::new(std::io::BufWriter::new(file)),
            Err(err) => return fail(&format!("{}: {err}", path.display())),
        },
        None => Box::new(std::io::stdout()),
    };
    if config.vetx_only {
        return ExitCode::SUCCESS;
    }
    let result = check_unit(&config, &flags);
    let written = if flags.json {
        report::write_json(&mut out, &config.id, &result).and_then(|()| out.flush())
    } else {
        report::print_plain(&result, flags.context)
    };
    if let Err(err) = written {
        return fail(&format!("writing the report: {err}"));
    }
    if flags.json {
        ExitCode::SUCCESS
    } else if !result.errors.is_empty() {
        ExitCode::from(2)
    } else if !result.diagnostics.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Runs the rules over the unit's packages with the whole in-module import closure indexed,
/// keeping findings in the unit's files only.
pub(super) fn check_unit(config: &VetConfig, flags: &flags::UnitFlags) -> UnitResult {
    let files = program::source_files(&config.go_files, &config.dir);
    let program::UnitProgram {
        mut program,
        targets,
        mut errors,
    } = program::load(&files);
    let index = Index::build(&program);
    let mut settings = program
        .packages
        .iter()
        .find(|p| targets.contains(&p.import_path))
        .and_then(|p| p.module)
        .map(|m| {
            Settings::from_dir(&program.modules[m].root).unwrap_or_else(|err| {
                errors.push(format!("{}: {}", err.path.display(), err.message));
                Settings::default()
            })
        })
        .unwrap_or_default();
    if !flags.select.is_empty() {
        settings.select.clone_from(&flags.select);
    }
    settings.ignore.extend(flags.ignore.iter().cloned());
    for selector in flags.select.iter().chain(&flags.ignore) {
        if !mapguard_lint::registry::matches_any_rule(selector) {
            errors.push(format!(
                "-select/-ignore: unknown rule or prefix {selector:?} (see `mapguard rules`)"
            ));
        }
    }

    program
        .packages
        .retain(|p| targets.contains(&p.import_path));
    let unit_files: HashSet<String> = files
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let mut diagnostics = mapguard_lint::check(&program, &index, &|_| &settings);
    diagnostics.retain(|d| unit_files.contains(&d.location.path));
    sort_diagnostics(&mut diagnostics);
    UnitResult {
        diagnostics,
        errors,
    }
}

fn non_empty(path: Option<&PathBuf>) -> Option<&PathBuf> {
    path.filter(|p| !p.as_os_str().is_empty())
}

#[allow(clippy::print_stderr)]
fn fail(message: &str) -> ExitCode {
    eprintln!("mapguard: {message}");
    ExitCode::from(2)
}
