//! Live map-leak monitoring: scrape Go services, keep history in SQLite, serve `/metrics` and a
//! dashboard.
//!
//! The layers:
//! - [`config`]: targets from a TOML file and the command line, resolved into [`config::Settings`].
//! - [`fetch`] and [`scrape`]: one scrape of one target (heap profile plus memstats) with a
//!   timeout, retries with backoff and size caps; the profile is attributed to map sites with
//!   `mapguard_pprof` (the caller supplies the [`mapguard_pprof::MapSiteIndex`] of `--source`).
//! - [`store`]: the SQLite history (WAL, versioned schema, one transaction per scrape, retention).
//! - [`verdict`]: leak verdicts over a window of recent scrapes, the same rule as `mapguard heap`.
//! - [`daemon`]: one thread per target, a single writer, the shared [`daemon::State`].
//! - [`metrics`], [`dashboard`] and [`server`]: `/metrics` (Prometheus text via
//!   `prometheus-client`), `/` (HTML with inline SVG charts), served by axum (hyper, HTTP/1) on a tokio runtime.
//!
//! Nothing here prints; the daemon reports through an observer callback.

pub mod config;
pub mod daemon;
pub mod dashboard;
mod error;
pub mod fetch;
mod html;
pub mod metrics;
pub mod scrape;
pub mod server;
pub mod site;
pub mod store;
pub mod verdict;

pub use error::WatchError;
