//! What [`crate::analyze`] concludes; serialised as `mapguard gc --format json` (schema in docs/commands/gc.md).

use serde::Serialize;

use crate::model::{Note, PauseSummary, SourceKind, TimeBase};
use crate::stats::trend::Trend;

/// Schema version of the JSON report.
pub const SCHEMA_VERSION: u32 = 1;

/// The analysis of one series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Always [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Input kind.
    pub source: SourceKind,
    /// What times count from.
    pub time_base: TimeBase,
    /// Samples read (GC cycles for gctrace, snapshots otherwise).
    pub samples: usize,
    /// The verdict over the whole series (the worst segment's when it restarted).
    pub verdict: Verdict,
    /// One entry per process run: a restart splits the series.
    pub segments: Vec<SegmentReport>,
    /// STW pauses binned by time and length, across all segments.
    pub pause_heatmap: Heatmap,
    /// What was skipped, rejoined, clamped or split, one line each.
    pub notes: Vec<Note>,
}

/// Leak or not, how sure, and why in plain words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// The answer.
    pub kind: VerdictKind,
    /// How much to trust it.
    pub confidence: Confidence,
    /// The trend test's one-sided p-value for growth, when a trend was computed.
    pub p_value: Option<f64>,
    /// Theil–Sen growth of the heap measure, bytes per hour.
    pub growth_bytes_per_hour: Option<f64>,
    /// One sentence, e.g. "live heap after GC rose 38.0 MB/h over 6.0 h (12.0 MB → 240.0 MB), p < 0.001".
    pub summary: String,
    /// Supporting facts, one sentence each.
    pub evidence: Vec<String>,
}

/// The possible answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictKind {
    /// The heap left after GC keeps growing.
    Leak,
    /// No material growth of the heap left after GC.
    NoLeak,
    /// Too little data to say.
    Inconclusive,
}

/// How much evidence stands behind a verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Few points or a borderline test.
    Low,
    /// Enough points, clear test, but short or noisy.
    Medium,
    /// Many points and a decisive test.
    High,
}

/// Which heap figure the trend was computed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HeapMeasure {
    /// Bytes marked live by each GC (gctrace, `go_gc_heap_live_bytes`).
    LiveHeap,
    /// The heap goal set after each GC (`NextGC`): live heap × (1 + GOGC/100) plus roots.
    HeapGoal,
}

impl HeapMeasure {
    /// How the measure is named in sentences.
    pub fn phrase(self) -> &'static str {
        match self {
            HeapMeasure::LiveHeap => "live heap after GC",
            HeapMeasure::HeapGoal => "heap goal after GC",
        }
    }
}

/// One process run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentReport {
    /// 0-based.
    pub index: usize,
    /// Line, document or scrape number of the first and last sample.
    pub first_origin: usize,
    /// See `first_origin`.
    pub last_origin: usize,
    /// Time of the first sample (time base of the series).
    pub start_secs: f64,
    /// Where this segment begins on the report's shared elapsed-time axis.
    pub elapsed_start_secs: f64,
    /// Time covered.
    pub duration_secs: f64,
    /// Samples in the segment.
    pub samples: usize,
    /// GC cycles completed within the segment (difference of the GC counter), when known.
    pub gc_cycles: Option<u64>,
    /// Cycles started by `runtime.GC()` (gctrace only).
    pub forced_cycles: usize,
    /// GC cycles per minute.
    pub gc_per_minute: Option<f64>,
    /// Mean time between GC cycles.
    pub mean_gc_interval_secs: Option<f64>,
    /// Stop-the-world pauses.
    pub pauses: Option<PauseStats>,
    /// client_golang's own pause summary (`go_gc_duration_seconds`) at the end of the segment.
    pub exported_pause_summary: Option<PauseSummary>,
    /// Share of CPU spent in GC.
    pub gc_cpu: Option<GcCpu>,
    /// Which heap figure `heap` and the trends are about.
    pub heap_measure: HeapMeasure,
    /// Summary of the heap measure.
    pub heap_summary: Option<HeapSummary>,
    /// The heap measure and the heap goal after each GC (at most 600 points, evenly thinned).
    pub heap: Vec<HeapPoint>,
    /// Trend of the heap measure over the whole segment (x in seconds, y in bytes).
    pub trend: Option<Trend>,
    /// Trend over the later half (past warm-up).
    pub late_trend: Option<Trend>,
    /// The verdict for this segment.
    pub verdict: Verdict,
    /// The MemStats difference model, beside the verdict (snapshots only).
    pub memstats_model: Option<MemStatsModel>,
}

/// Pause distribution. For Prometheus input each entry is an interval's mean (`approximate`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PauseStats {
    /// Pauses counted.
    pub count: u64,
    /// Median, seconds.
    pub p50_secs: f64,
    /// 90th percentile, seconds.
    pub p90_secs: f64,
    /// 99th percentile, seconds.
    pub p99_secs: f64,
    /// Longest, seconds.
    pub max_secs: f64,
    /// Sum, seconds.
    pub total_secs: f64,
    /// Quantiles are over interval means, not single pauses.
    pub approximate: bool,
}

/// GC CPU share in percent.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GcCpu {
    /// Since the process started, as the runtime reports it (`GCCPUFraction`, gctrace `N%`).
    pub since_start_percent: f64,
    /// Within the segment's window, when the time base allows computing it.
    pub window_percent: Option<f64>,
}

/// First, last and spread of the heap measure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HeapSummary {
    /// Bytes at the first point.
    pub first_bytes: f64,
    /// Bytes at the last point.
    pub last_bytes: f64,
    /// Smallest.
    pub min_bytes: f64,
    /// Median.
    pub median_bytes: f64,
    /// Largest.
    pub max_bytes: f64,
    /// Points (distinct GC cycles).
    pub points: usize,
}

/// The heap after one GC.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HeapPoint {
    /// Position on the report's shared elapsed-time axis, seconds.
    pub elapsed_secs: f64,
    /// The heap measure, bytes.
    pub bytes: f64,
    /// Heap goal, bytes, when known.
    pub goal_bytes: Option<f64>,
}

/// The seeds' MemStats difference model: live objects and HeapInuse, first to last snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MemStatsModel {
    /// Change of Mallocs − Frees (live objects).
    pub live_objects_delta: i64,
    /// GC cycles between the two snapshots.
    pub gc_cycles: u64,
    /// `live_objects_delta / gc_cycles`.
    pub live_objects_per_gc: Option<f64>,
    /// Change of HeapInuse, bytes.
    pub heap_inuse_delta_bytes: Option<f64>,
    /// The seeds' rule: more than 5000 objects per GC or more than 10 MB HeapInuse growth.
    pub model_flags_leak: bool,
}

/// Pause counts by time bin (columns) and pause-length bucket (rows).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Heatmap {
    /// Left edges of the time bins on the elapsed axis, seconds; the last bin ends at `end_secs`.
    pub time_bins_secs: Vec<f64>,
    /// End of the last time bin.
    pub end_secs: f64,
    /// Upper edges of the pause buckets, seconds (the last is +inf, written as null in JSON).
    pub bucket_upper_secs: Vec<Option<f64>>,
    /// `counts[time_bin][bucket]`.
    pub counts: Vec<Vec<u64>>,
}
