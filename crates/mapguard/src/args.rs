//! Command-line arguments. Nothing below the binary crate sees argv.

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "mapguard",
    version,
    about = "Find, measure and prevent Go map memory and concurrency bugs"
)]
pub(crate) struct Args {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Check Go packages for map hazards (default pattern `./...`).
    Check(crate::commands::check::CheckArgs),
    /// List the lint rules.
    Rules(crate::commands::rules::RulesArgs),
    /// Print one rule's documentation.
    Explain(crate::commands::rules::ExplainArgs),
    /// Predict a Go map's memory: total, per entry, growth steps, what deletes and clear keep.
    Size(crate::commands::size::SizeArgs),
    /// Analyse gctrace logs, expvar or Prometheus series: pauses, GC rate, live-heap trend, leak verdict.
    Gc(crate::commands::gc::GcArgs),
    /// Attribute heap-profile memory to Go maps; compare profiles for growing maps and leaks.
    Heap(crate::commands::heap::HeapArgs),
    /// Show which maps the compiler moves to the heap (`go build -gcflags=-m=2`), and why, next to the source.
    Escape(crate::commands::escape::EscapeArgs),
    /// Watch live Go services: scrape heap profiles and memstats, keep SQLite history, serve /metrics and a dashboard.
    Watch(crate::commands::watch::WatchArgs),
    /// Print Prometheus alert rules for map leaks, live-heap growth and GC pauses.
    AlertRules(crate::commands::alert_rules::AlertRulesArgs),
    /// Print a Grafana dashboard (JSON) over mapguard's and client_golang's metrics.
    Dashboard(crate::commands::dashboard::DashboardArgs),
}
