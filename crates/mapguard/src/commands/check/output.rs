//! Printing a check's result in the chosen format.

use std::collections::{HashMap, HashSet};
use std::io::{IsTerminal, Write};
use std::path::Path;

use mapguard_diagnostics::render::{self, Report, ToolInfo};
use mapguard_diagnostics::{Diagnostic, InputError, RuleMeta};
use mapguard_go::Program;

use super::{CheckArgs, Color, Format};

pub(super) fn print(
    args: &CheckArgs,
    program: &Program,
    diagnostics: &[Diagnostic],
    errors: &[InputError],
    cwd: &Path,
) -> anyhow::Result<()> {
    let rules: Vec<RuleMeta> = mapguard_lint::all_rules()
        .iter()
        .map(|r| r.meta())
        .collect();
    let report = Report {
        diagnostics,
        errors,
        rules: &rules,
    };
    let sources = sources_for(program, diagnostics);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        Format::Text => {
            let color = match args.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => {
                    std::io::stdout().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                }
            };
            let options = render::text::TextOptions {
                color,
                show_source: !args.no_source,
                ..Default::default()
            };
            render::text::render(&mut out, &report, &sources, &options)?;
        }
        Format::Json => render::json::render(&mut out, &report, &ToolInfo::mapguard())?,
        Format::Sarif => {
            let options = render::sarif::SarifOptions {
                src_root: Some(cwd),
            };
            render::sarif::render(&mut out, &report, &ToolInfo::mapguard(), &sources, &options)?;
        }
        Format::Github => render::github::render(&mut out, &report)?,
    }
    out.flush()?;
    Ok(())
}

/// The texts of the files that have findings, for snippets (borrowed, not copied).
fn sources_for<'p>(program: &'p Program, diagnostics: &[Diagnostic]) -> HashMap<&'p str, &'p str> {
    let wanted: HashSet<&str> = diagnostics
        .iter()
        .flat_map(|d| {
            std::iter::once(d.location.path.as_str())
                .chain(d.related.iter().map(|r| r.location.path.as_str()))
        })
        .collect();
    program
        .packages
        .iter()
        .flat_map(|p| &p.files)
        .filter(|f| wanted.contains(f.display.as_str()))
        .map(|f| (f.display.as_str(), f.text.as_str()))
        .collect()
}
