//! The series every parser produces and every statistic reads.

use serde::Serialize;

/// Which kind of input a series was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// `GODEBUG=gctrace=1` lines: one sample per GC cycle.
    Gctrace,
    /// expvar `/debug/vars` documents: one sample per snapshot of `runtime.MemStats`.
    Expvar,
    /// Prometheus text exposition from client_golang: one sample per scrape.
    Prometheus,
}

/// What a sample's `time_secs` is measured from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeBase {
    /// Seconds since the Go process started (gctrace `@<secs>s`).
    ProcessStart,
    /// Seconds since the Unix epoch (expvar `LastGC`, Prometheus timestamps or `last_gc_time`).
    Unix,
    /// No clock in the input: the sample's position in file order.
    FileOrder,
}

/// One observation of the Go heap: a GC cycle (gctrace) or a snapshot (expvar, Prometheus).
///
/// Byte values are `None` when the input does not carry them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Sample {
    /// When the observation was made, in the series' [`TimeBase`].
    pub time_secs: f64,
    /// Completed GC cycles so far (gctrace `gc N`, `NumGC`, `go_gc_duration_seconds_count`).
    pub gc_count: Option<u64>,
    /// Bytes marked live by the last GC (gctrace third heap figure, `go_gc_heap_live_bytes`).
    pub live_heap_bytes: Option<f64>,
    /// Heap goal of the next cycle (gctrace `MB goal`, `NextGC`, `go_memstats_next_gc_bytes`).
    pub heap_goal_bytes: Option<f64>,
    /// Heap in use when sampled (gctrace: at GC start; snapshots: `HeapAlloc`).
    pub heap_alloc_bytes: Option<f64>,
    /// `HeapInuse` (snapshots only).
    pub heap_inuse_bytes: Option<f64>,
    /// Cumulative objects allocated (`Mallocs`).
    pub mallocs: Option<u64>,
    /// Cumulative objects freed (`Frees`).
    pub frees: Option<u64>,
    /// Cumulative GC CPU share since the process started, 0–1.
    pub gc_cpu_fraction: Option<f64>,
    /// The cycle was started by `runtime.GC()` (gctrace `(forced)`).
    pub forced: bool,
    /// The 1-based line (gctrace), document or scrape number this sample came from.
    pub origin: usize,
}

/// One stop-the-world pause (or, for Prometheus, the mean of `weight` pauses).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Pause {
    /// When the pause ended, in the series' [`TimeBase`].
    pub time_secs: f64,
    /// Length of the pause in seconds.
    pub seconds: f64,
    /// How many pauses this entry stands for (1 unless averaged from a summary).
    pub weight: u32,
    /// Index of the sample that reported this pause.
    pub sample: usize,
}

/// A pause distribution reported by the program itself (client_golang's `go_gc_duration_seconds`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PauseSummary {
    /// (quantile, seconds) pairs as exported, e.g. (0.5, 0.0002).
    pub quantiles: Vec<(f64, f64)>,
    /// Sum of all pauses, seconds.
    pub sum_secs: f64,
    /// Number of pauses.
    pub count: u64,
}

/// Something the reader noticed and skipped, kept so the user is told in one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// 1-based line, document or scrape number.
    pub at: usize,
    /// What was wrong and what was done about it.
    pub message: String,
}

/// Everything read from one input, in input order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    /// The input's kind.
    pub source: SourceKind,
    /// What `time_secs` counts from.
    pub time_base: TimeBase,
    /// Observations in input order.
    pub samples: Vec<Sample>,
    /// STW pauses in input order.
    pub pauses: Vec<Pause>,
    /// The last pause summary seen in each segment (Prometheus only), keyed by sample index.
    pub pause_summaries: Vec<(usize, PauseSummary)>,
    /// Lines or documents skipped, cut lines rejoined, clock problems.
    pub notes: Vec<Note>,
    /// Lines, documents or files read in total.
    pub units_read: usize,
}

impl Series {
    /// An empty series of the given kind.
    pub fn new(source: SourceKind, time_base: TimeBase) -> Self {
        Self {
            source,
            time_base,
            samples: Vec::new(),
            pauses: Vec::new(),
            pause_summaries: Vec::new(),
            notes: Vec::new(),
            units_read: 0,
        }
    }

    /// Adds a note about input position `at`.
    pub fn note(&mut self, at: usize, message: impl Into<String>) {
        self.notes.push(Note {
            at,
            message: message.into(),
        });
    }
}
