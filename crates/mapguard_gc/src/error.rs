//! Errors: only inputs from which nothing usable could be read are errors; everything else is a [`crate::Note`].

use std::path::PathBuf;

/// Why an input could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum GcError {
    /// Reading the file or folder failed.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The input.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The input is empty.
    #[error("input is empty")]
    Empty,
    /// The input holds binary data rather than text.
    #[error(
        "input is binary data (NUL byte at offset {offset}), not a gctrace log, expvar JSON or Prometheus text"
    )]
    Binary {
        /// Offset of the first NUL byte.
        offset: usize,
    },
    /// Text, but none of it is a recognised sample.
    #[error("no {what} found in {units} {unit_name}")]
    NothingFound {
        /// What was looked for, e.g. "gctrace lines (`gc N @…`)".
        what: &'static str,
        /// How many lines/documents were read.
        units: usize,
        /// "lines", "documents", "files".
        unit_name: &'static str,
    },
    /// A forced format did not match at all.
    #[error("{0}")]
    Invalid(String),
}
