//! `mapguard gc`: GC traces and memstats series → pauses, GC rate and CPU, live-heap trend, leak verdict.

mod text;

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, ValueEnum};
use mapguard_gc::{InputFormat, Report, VerdictKind, VerdictOptions};
use serde::Serialize;

use crate::exit::ExitStatus;

#[derive(Debug, Args)]
pub(crate) struct GcArgs {
    /// GODEBUG=gctrace=1 logs, expvar /debug/vars snapshots or Prometheus text (files, folders of
    /// one-snapshot files, or `-` for stdin). Each input is analysed on its own.
    #[arg(required = true, value_name = "LOG|SERIES")]
    pub(crate) inputs: Vec<PathBuf>,
    /// Input format; `auto` detects it from the content.
    #[arg(long, value_enum, default_value_t = FormatIn::Auto)]
    pub(crate) input_format: FormatIn,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatOut::Text)]
    pub(crate) format: FormatOut,
    /// Write an SVG picture (heap and heap goal over time, pause heat map). With several inputs,
    /// `out.svg` becomes `out-1.svg`, `out-2.svg`, ….
    #[arg(long, value_name = "OUT.svg")]
    pub(crate) plot: Option<PathBuf>,
    /// Exit 1 when any input's verdict is a leak (for soak tests in CI).
    #[arg(long)]
    pub(crate) fail_on_leak: bool,
    /// Smallest growth of the heap after GC over the window, in percent of its median, that counts as a leak.
    #[arg(long, default_value_t = 10.0, value_name = "PERCENT")]
    pub(crate) min_growth: f64,
    /// Significance level of the trend test.
    #[arg(long, default_value_t = 0.01)]
    pub(crate) alpha: f64,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum FormatIn {
    Auto,
    Gctrace,
    Expvar,
    Prometheus,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum FormatOut {
    Text,
    Json,
}

/// One input's outcome in the JSON output.
#[derive(Serialize)]
struct InputResult<'a> {
    input: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<&'a Report>,
    #[serde(skip_serializing_if = "Option::is_none")]
    plot: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

#[derive(Serialize)]
struct JsonOutput<'a> {
    schema_version: u32,
    inputs: Vec<InputResult<'a>>,
}

/// One input's report and plot path, or its one-line error.
type Outcome = Result<(Report, Option<PathBuf>), String>;

#[allow(clippy::print_stderr)]
pub(crate) fn run(args: GcArgs) -> anyhow::Result<ExitStatus> {
    let format = match args.input_format {
        FormatIn::Auto => InputFormat::Auto,
        FormatIn::Gctrace => InputFormat::Gctrace,
        FormatIn::Expvar => InputFormat::Expvar,
        FormatIn::Prometheus => InputFormat::Prometheus,
    };
    let opts = VerdictOptions {
        alpha: args.alpha,
        min_growth: args.min_growth / 100.0,
    };
    let mut outcomes: Vec<(String, Outcome)> = Vec::new();
    for (k, input) in args.inputs.iter().enumerate() {
        let name = input.display().to_string();
        let outcome = analyse_one(input, format, opts).and_then(|report| {
            let plot = match &args.plot {
                Some(path) => {
                    let path = numbered(path, k, args.inputs.len());
                    write_plot(&report, &name, &path).map_err(|e| format!("{e:#}"))?;
                    Some(path)
                }
                None => None,
            };
            Ok((report, plot))
        });
        outcomes.push((name, outcome));
    }

    let mut stdout = std::io::stdout().lock();
    match args.format {
        FormatOut::Json => {
            let inputs = outcomes
                .iter()
                .map(|(name, o)| match o {
                    Ok((report, plot)) => InputResult {
                        input: name.clone(),
                        report: Some(report),
                        plot: plot.as_ref().map(|p| p.display().to_string()),
                        error: None,
                    },
                    Err(e) => InputResult {
                        input: name.clone(),
                        report: None,
                        plot: None,
                        error: Some(e.clone()),
                    },
                })
                .collect();
            serde_json::to_writer_pretty(
                &mut stdout,
                &JsonOutput {
                    schema_version: mapguard_gc::SCHEMA_VERSION,
                    inputs,
                },
            )?;
            writeln!(stdout)?;
        }
        FormatOut::Text => {
            for (i, (name, outcome)) in outcomes.iter().enumerate() {
                if let Ok((report, plot)) = outcome {
                    if i > 0 {
                        writeln!(stdout)?;
                    }
                    text::write_report(&mut stdout, name, report)?;
                    if let Some(plot) = plot {
                        writeln!(stdout, "  plot      {}", plot.display())?;
                    }
                }
            }
        }
    }
    stdout.flush()?;
    let mut failed = false;
    for (name, outcome) in &outcomes {
        if let Err(e) = outcome {
            eprintln!("mapguard: {name}: {e}");
            failed = true;
        }
    }
    let leak = outcomes
        .iter()
        .any(|(_, o)| matches!(o, Ok((r, _)) if r.verdict.kind == VerdictKind::Leak));
    Ok(if failed {
        ExitStatus::Error
    } else if leak && args.fail_on_leak {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

fn analyse_one(input: &Path, format: InputFormat, opts: VerdictOptions) -> Result<Report, String> {
    let series = if input == Path::new("-") {
        mapguard_gc::read_stream(std::io::stdin().lock(), format)
    } else {
        mapguard_gc::read_path(input, format)
    }
    .map_err(|e| e.to_string())?;
    Ok(mapguard_gc::analyze_with(&series, opts))
}

fn write_plot(report: &Report, title: &str, path: &Path) -> anyhow::Result<()> {
    let svg = mapguard_gc::plot::svg(report, title)?;
    std::fs::write(path, svg).with_context(|| format!("cannot write plot {}", path.display()))
}

/// `out.svg` for one input; `out-1.svg`, `out-2.svg`, … for several.
fn numbered(path: &Path, index: usize, total: usize) -> PathBuf {
    if total <= 1 {
        return path.to_owned();
    }
    let stem = path
        .file_stem()
        .map_or_else(|| "plot".into(), |s| s.to_string_lossy().into_owned());
    let ext = path
        .extension()
        .map_or_else(|| "svg".into(), |s| s.to_string_lossy().into_owned());
    path.with_file_name(format!("{stem}-{}.{ext}", index + 1))
}
