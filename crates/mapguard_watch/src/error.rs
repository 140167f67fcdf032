//! The crate's error type.

use std::path::PathBuf;

/// Everything that can go wrong outside a single scrape (scrape failures are data, not errors).
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// A config file could not be read.
    #[error("{path}: {source}")]
    ConfigIo {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A config file or flag value is invalid.
    #[error("{0}")]
    Config(String),
    /// The history database failed.
    #[error("{path}: {source}")]
    Store {
        path: PathBuf,
        source: rusqlite::Error,
    },
    /// The history database was written by a newer mapguard.
    #[error("{path}: schema version {found} is newer than this mapguard understands ({known})")]
    SchemaTooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    /// The HTTP listener could not start.
    #[error("--listen {addr}: {message}")]
    Listen { addr: String, message: String },
}
