//! `mapguard heap`: which maps hold the memory in Go heap profiles, and which keep growing.
//!
//! Inputs are files, `-` (stdin), `http(s)://` URLs (`/debug/pprof/heap`) or directories of
//! profiles. One profile gives a ranked attribution; `--base OLD` or several profiles give growth
//! per map and leak-suspect verdicts. A bad input is reported on one line and the others are
//! still analysed (exit 2 at the end).

mod inputs;
mod outputs;
pub(crate) mod source;
mod text;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use mapguard_pprof::attribute::{self, Attribution, Options};
use mapguard_pprof::compare::{self, Comparison, Snapshot, Thresholds};
use mapguard_pprof::input::Limits;
use mapguard_pprof::{MapSiteIndex, SampleKind};
use mapguard_runtime::types::Arch;
use mapguard_runtime::version::Target;

use crate::exit::ExitStatus;
use inputs::Loaded;

#[derive(Debug, Args)]
pub(crate) struct HeapArgs {
    /// Heap profiles: files, `-` for stdin, http(s) URLs, or directories of profiles.
    #[arg(value_name = "PROFILE", required = true)]
    pub(crate) profiles: Vec<String>,

    /// An older profile to compare against (a diff: growth per map).
    #[arg(long, value_name = "OLD")]
    pub(crate) base: Option<String>,

    /// Go module root whose source tells which lines make and write maps (and their types).
    #[arg(long, value_name = "DIR")]
    pub(crate) source: Option<PathBuf>,

    /// Sample type to rank by: inuse_space, inuse_objects, alloc_space or alloc_objects.
    #[arg(long, value_name = "TYPE", default_value = "inuse_space")]
    pub(crate) sample: String,

    /// Go release that wrote the profile (1.19–1.27, `+noswissmap` for classic maps on
    /// 1.24/1.25); default: inferred from the allocation sizes.
    #[arg(long = "go", value_name = "VERSION")]
    pub(crate) go: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,

    /// Write a flame graph (SVG) of map memory only.
    #[arg(long, value_name = "OUT.svg")]
    pub(crate) flamegraph: Option<PathBuf>,

    /// Write a pprof profile (gzip) of the map samples only, for `go tool pprof`.
    #[arg(long = "emit-pprof", value_name = "OUT.pb.gz")]
    pub(crate) emit_pprof: Option<PathBuf>,

    /// Largest profile accepted, compressed or uncompressed, in bytes.
    #[arg(long = "max-bytes", value_name = "N", default_value_t = mapguard_pprof::decode::DEFAULT_MAX_BYTES)]
    pub(crate) max_bytes: u64,

    /// Timeout for URLs, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub(crate) timeout: f64,

    /// Maps shown in the text table.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub(crate) top: usize,

    /// Smallest share of the newest heap (percent) for a leak suspect.
    #[arg(long = "min-share", value_name = "PERCENT", default_value_t = 1.0)]
    pub(crate) min_share: f64,

    /// Exit 1 when a map is a leak suspect.
    #[arg(long = "fail-on-leak")]
    pub(crate) fail_on_leak: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
}

/// Everything one run produced, for the renderers.
pub(crate) struct Run<'a> {
    pub(crate) args: &'a HeapArgs,
    pub(crate) source: Option<&'a source::Sources>,
    /// Successfully analysed profiles, in time order.
    pub(crate) profiles: Vec<(Loaded, Attribution)>,
    pub(crate) comparison: Option<Comparison>,
    pub(crate) errors: Vec<String>,
}

pub(crate) fn run(args: HeapArgs) -> anyhow::Result<ExitStatus> {
    let sample: SampleKind = args
        .sample
        .parse()
        .with_context(|| format!("--sample {}", args.sample))?;
    let target = match &args.go {
        Some(go) => Some(Target::parse(go, Arch::Amd64).with_context(|| format!("--go {go}"))?),
        None => None,
    };
    if !(args.timeout > 0.0 && args.timeout.is_finite()) {
        bail!(
            "--timeout {}: must be a positive number of seconds",
            args.timeout
        );
    }
    let limits = Limits {
        max_bytes: args.max_bytes,
        timeout: Duration::from_secs_f64(args.timeout),
    };
    let sources = match &args.source {
        Some(dir) => Some(source::load(dir)?),
        None => None,
    };
    let index: Option<&dyn MapSiteIndex> = sources.as_ref().map(|s| &s.table as &dyn MapSiteIndex);

    let mut errors = Vec::new();
    let mut specs: Vec<String> = Vec::new();
    if let Some(base) = &args.base {
        specs.push(base.clone());
    }
    specs.extend(args.profiles.iter().cloned());
    let loaded = inputs::load_all(&specs, limits, &mut errors);

    let mut profiles = Vec::new();
    for item in loaded {
        let options = Options {
            sample,
            target,
            index,
            entries: true,
        };
        match attribute::attribute(&item.profile, &options) {
            Ok(att) => profiles.push((item, att)),
            Err(err) => errors.push(format!("{}: {err}", item.label)),
        }
    }
    if args.base.is_none() {
        inputs::order_by_time(&mut profiles);
    }
    let comparison = (profiles.len() >= 2).then(|| {
        let snapshots: Vec<Snapshot<'_>> = profiles
            .iter()
            .map(|(l, a)| Snapshot {
                label: &l.label,
                time_nanos: l.profile.time_nanos,
                attribution: a,
            })
            .collect();
        compare::compare(
            &snapshots,
            Thresholds {
                min_share: args.min_share / 100.0,
                ..Thresholds::default()
            },
        )
    });

    if let Some((newest, att)) = profiles.last() {
        if let Some(path) = &args.flamegraph
            && let Err(err) = outputs::flamegraph(path, &newest.profile, att)
        {
            errors.push(format!("{}: {err:#}", path.display()));
        }
        if let Some(path) = &args.emit_pprof
            && let Err(err) = outputs::emit_pprof(path, &newest.profile, att)
        {
            errors.push(format!("{}: {err:#}", path.display()));
        }
    }

    let run = Run {
        args: &args,
        source: sources.as_ref(),
        profiles,
        comparison,
        errors,
    };
    match args.format {
        Format::Text => text::print(&run)?,
        Format::Json => outputs::print_json(&run)?,
    }
    text::print_errors(&run.errors);
    let leak = run
        .comparison
        .as_ref()
        .is_some_and(|c| c.suspects().next().is_some());
    Ok(if !run.errors.is_empty() {
        ExitStatus::Error
    } else if args.fail_on_leak && leak {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}
