//! GC traces and memstats series → pauses, GC rate and CPU, live-heap trend, leak verdict, pictures.
//!
//! Read an input with [`read_path`] or [`read_stream`] (format detected from content, or forced
//! with [`InputFormat`]) to get a [`Series`]; [`analyze`] turns it into a [`Report`]; [`plot::svg`]
//! draws it. A scraper can build a [`Series`] itself, one [`Sample`] per snapshot, and call
//! [`analyze`] the same way. Nothing here prints.

mod analyze;
mod error;
mod heatmap;
pub mod human;
mod model;
pub mod parse;
pub mod plot;
mod report;
mod segments;
pub mod sparkline;
pub mod stats;
mod verdict;

pub use analyze::{analyze, analyze_with};
pub use error::GcError;
pub use model::{Note, Pause, PauseSummary, Sample, Series, SourceKind, TimeBase};
pub use parse::{InputFormat, detect, read_gctrace, read_path, read_stream, read_text};
pub use report::{
    Confidence, GcCpu, HeapMeasure, HeapPoint, HeapSummary, Heatmap, MemStatsModel, PauseStats,
    Report, SCHEMA_VERSION, SegmentReport, Verdict, VerdictKind,
};
pub use segments::{Part, split};
pub use verdict::{MIN_POINTS, VerdictOptions};
