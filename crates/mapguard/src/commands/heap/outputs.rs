//! Files and machine-readable output: the flame graph, the map-only pprof, JSON.

use std::io::Write as _;
use std::path::Path;

use anyhow::{Context, bail};
use mapguard_pprof::HeapProfile;
use mapguard_pprof::attribute::Attribution;
use mapguard_pprof::{decode, emit, folded};
use serde::Serialize;

use super::Run;
use super::text::notes;

/// Renders map memory only as an SVG flame graph (inferno).
pub(crate) fn flamegraph(
    path: &Path,
    profile: &HeapProfile,
    att: &Attribution,
) -> anyhow::Result<()> {
    let lines = folded::map_stacks(profile, att);
    if lines.is_empty() {
        bail!(
            "no map memory to draw ({} is zero for every map sample)",
            att.sample
        );
    }
    let mut options = inferno::flamegraph::Options::default();
    options.title = format!("mapguard: map memory ({})", att.sample);
    options.count_name = if att.sample.is_space() {
        "bytes"
    } else {
        "objects"
    }
    .to_owned();
    let file = std::fs::File::create(path).context("cannot create")?;
    let mut out = std::io::BufWriter::new(file);
    inferno::flamegraph::from_lines(&mut options, lines.iter().map(String::as_str), &mut out)
        .context("cannot render the flame graph")?;
    out.flush().context("cannot write")?;
    Ok(())
}

/// Writes the map samples as a gzip pprof profile.
pub(crate) fn emit_pprof(
    path: &Path,
    profile: &HeapProfile,
    att: &Attribution,
) -> anyhow::Result<()> {
    let message = emit::map_profile(profile, att);
    std::fs::write(path, decode::encode_gzip(&message)).context("cannot write")?;
    Ok(())
}

#[derive(Serialize)]
struct JsonProfile<'a> {
    input: &'a str,
    format: mapguard_pprof::Format,
    time_nanos: i64,
    attribution: &'a Attribution,
}

#[derive(Serialize)]
struct JsonSource<'a> {
    root: &'a Path,
    files: usize,
    sites: usize,
    typed_sites: usize,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    schema: &'static str,
    sample: &'a str,
    source: Option<JsonSource<'a>>,
    profiles: Vec<JsonProfile<'a>>,
    comparison: Option<&'a mapguard_pprof::compare::Comparison>,
    notes: Vec<String>,
    errors: &'a [String],
}

/// Prints the whole run as one JSON document (schema: docs/commands/heap.md).
#[allow(clippy::print_stdout)]
pub(crate) fn print_json(run: &Run<'_>) -> anyhow::Result<()> {
    let report = JsonReport {
        schema: "mapguard-heap/1",
        sample: &run.args.sample,
        source: run.source.map(|s| JsonSource {
            root: &s.root,
            files: s.files,
            sites: s.table.len(),
            typed_sites: s.typed,
        }),
        profiles: run
            .profiles
            .iter()
            .map(|(l, a)| JsonProfile {
                input: &l.label,
                format: l.profile.format,
                time_nanos: l.profile.time_nanos,
                attribution: a,
            })
            .collect(),
        comparison: run.comparison.as_ref(),
        notes: notes(run),
        errors: &run.errors,
    };
    let mut stdout = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut stdout, &report)?;
    writeln!(stdout)?;
    Ok(())
}
