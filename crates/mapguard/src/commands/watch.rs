//! `mapguard watch`: scrape live Go services, keep history in SQLite, serve `/metrics` and a
//! dashboard, and say when a map starts to leak.

mod once;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use mapguard_watch::config::{self, FileConfig, Overrides, Settings};
use mapguard_watch::daemon::{Event, RunOptions, SharedIndex, Watch};
use mapguard_watch::server;
use mapguard_watch::store::Store;

use crate::commands::heap::source;
use crate::exit::ExitStatus;

#[derive(Debug, Args)]
pub(crate) struct WatchArgs {
    /// Base URLs of Go services serving net/http/pprof (e.g. http://127.0.0.1:6060).
    #[arg(value_name = "TARGET")]
    pub(crate) targets: Vec<String>,

    /// TOML file with targets, labels, per-target source, timeouts, interval and retention.
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,

    /// Time between scrapes of a target (e.g. 10s, 1m) [default: 10s, or the config's].
    #[arg(long, value_name = "DURATION")]
    pub(crate) interval: Option<String>,

    /// Timeout of one scrape attempt [default: the interval, at most 30s].
    #[arg(long, value_name = "DURATION")]
    pub(crate) timeout: Option<String>,

    /// SQLite history file (created if missing).
    #[arg(long, value_name = "FILE", default_value = "./mapguard-history.db")]
    pub(crate) db: PathBuf,

    /// Address of the dashboard and /metrics; loopback by default (there is no authentication).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:9464")]
    pub(crate) listen: String,

    /// Go module root of the targets, for map attribution as in `mapguard heap --source`.
    #[arg(long, value_name = "DIR")]
    pub(crate) source: Option<PathBuf>,

    /// Scrape every target once, store it, print a summary and exit (no server).
    #[arg(long)]
    pub(crate) once: bool,

    /// Stop after this long (e.g. 10m) instead of running until killed.
    #[arg(long, value_name = "DURATION")]
    pub(crate) duration: Option<String>,
}

pub(crate) fn run(args: WatchArgs) -> anyhow::Result<ExitStatus> {
    let file = match &args.config {
        Some(path) => FileConfig::read(path)?,
        None => FileConfig::default(),
    };
    let parse = |flag: &str, text: &Option<String>| -> anyhow::Result<Option<Duration>> {
        text.as_deref()
            .map(|t| config::parse_duration(flag, t))
            .transpose()
            .map_err(Into::into)
    };
    let overrides = Overrides {
        targets: args.targets.clone(),
        interval: parse("--interval", &args.interval)?,
        timeout: parse("--timeout", &args.timeout)?,
        source: args.source.clone(),
    };
    let duration = parse("--duration", &args.duration)?;
    let mut settings = Settings::resolve(file, &overrides)?;
    let indexes = load_sources(&mut settings)?;
    let store = Store::open(&args.db)?;

    let watch = Watch::new(settings, indexes, store);
    if args.once {
        return once::run(watch);
    }
    let server = server::serve(&args.listen, watch.state(), watch.telemetry(), &args.db)?;
    announce(&args, server.addr(), &watch);
    let summary = watch.run(
        RunOptions {
            once: false,
            duration,
        },
        &mut report,
    );
    server.stop();
    Ok(if summary.store_errors > 0 {
        ExitStatus::Error
    } else {
        ExitStatus::Success
    })
}

/// Loads each distinct `source` directory once; a target's labels become relative to its root.
fn load_sources(settings: &mut Settings) -> anyhow::Result<Vec<Option<SharedIndex>>> {
    let mut loaded: HashMap<PathBuf, (PathBuf, SharedIndex)> = HashMap::new();
    let mut indexes = Vec::new();
    for target in &mut settings.targets {
        let Some(dir) = target.source.clone() else {
            indexes.push(None);
            continue;
        };
        if !loaded.contains_key(&dir) {
            let sources = source::load(&dir).with_context(|| format!("target {}", target.name))?;
            let index: SharedIndex = Arc::new(sources.table);
            loaded.insert(dir.clone(), (sources.root, index));
        }
        let (root, index) = &loaded[&dir];
        target.source = Some(root.clone());
        indexes.push(Some(Arc::clone(index)));
    }
    Ok(indexes)
}

#[allow(clippy::print_stderr)]
fn announce(args: &WatchArgs, addr: SocketAddr, watch: &Watch) {
    let state = mapguard_watch::daemon::lock(&watch.state()).targets.len();
    eprintln!(
        "mapguard watch: {state} target(s), history in {}; dashboard http://{addr}/ metrics http://{addr}/metrics",
        args.db.display()
    );
    if !addr.ip().is_loopback() {
        eprintln!(
            "mapguard watch: warning: serving on {addr}, not loopback; the dashboard and /metrics have no authentication"
        );
    }
}

#[allow(clippy::print_stderr)]
fn report(event: Event<'_>) {
    match event {
        Event::Scraped {
            target,
            scrape,
            new_suspects,
            stored,
        } => {
            let name = &target.target.name;
            if let Err(e) = &scrape.result {
                eprintln!("mapguard watch: {name}: {e}");
            }
            if let Err(e) = stored {
                eprintln!("mapguard watch: {name}: not stored: {e}");
            }
            for s in new_suspects {
                eprintln!(
                    "mapguard watch: {name}: leak suspect {} ({}): {} bytes{}",
                    s.site,
                    s.map_type.as_deref().unwrap_or("?"),
                    s.bytes,
                    s.growth_per_hour
                        .map_or(String::new(), |g| format!(", +{g:.0} bytes/h"))
                );
            }
        }
        Event::Pruned(p) => eprintln!(
            "mapguard watch: retention deleted {} scrape(s) by age, {} by size",
            p.by_age, p.by_size
        ),
        Event::PruneFailed(e) => eprintln!("mapguard watch: retention failed: {e}"),
    }
}
