//! Leak verdicts over a window of recent scrapes: `mapguard heap`'s series rule
//! ([`mapguard_pprof::compare`]) applied to the last N attributions of a target.

use std::collections::VecDeque;
use std::path::Path;

use mapguard_pprof::attribute::Attribution;
use mapguard_pprof::compare::{self, Evidence, Snapshot, Thresholds, Verdict};

use crate::site;

/// One map site's standing after the newest scrape.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteStatus {
    /// `file.go:line` label.
    pub site: String,
    pub map_type: Option<String>,
    /// Map bytes in the newest scrape.
    pub bytes: i64,
    /// Least-squares growth over the window, bytes per hour (`None` until two timed scrapes).
    pub growth_per_hour: Option<f64>,
    pub verdict: Verdict,
    pub evidence: Evidence,
    /// Functions of the map's lines (shown with the evidence).
    pub functions: Vec<String>,
}

/// The last `capacity` attributions of one target.
#[derive(Debug)]
pub struct Window {
    capacity: usize,
    thresholds: Thresholds,
    snapshots: VecDeque<(i64, Attribution)>,
}

impl Window {
    /// A window of `capacity` scrapes (at least 3, the fewest for a leak verdict).
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(3),
            thresholds: Thresholds::default(),
            snapshots: VecDeque::new(),
        }
    }

    /// Scrapes in the window.
    pub fn len(&self) -> usize {
        self.snapshots.len()
    }

    /// Whether no scrape is in the window yet.
    pub fn is_empty(&self) -> bool {
        self.snapshots.is_empty()
    }

    /// Adds the newest attribution (profile time in nanoseconds), dropping the oldest if full.
    ///
    /// Go publishes the heap profile at the end of a GC cycle, so scrapes between two cycles
    /// repeat the same figures; such a repeat is not added (returns `false`), or a flat step
    /// would count against a leak that only grows from one GC to the next.
    pub fn push(&mut self, time_nanos: i64, attribution: Attribution) -> bool {
        if self.snapshots.back().is_some_and(|(_, last)| {
            last.total == attribution.total && last.map_total == attribution.map_total
        }) {
            return false;
        }
        if self.snapshots.len() == self.capacity {
            self.snapshots.pop_front();
        }
        self.snapshots.push_back((time_nanos, attribution));
        true
    }

    /// Every map in the window, largest growth first, labelled relative to `root`.
    pub fn statuses(&self, root: Option<&Path>) -> Vec<SiteStatus> {
        if self.snapshots.is_empty() {
            return Vec::new();
        }
        let snapshots: Vec<Snapshot<'_>> = self
            .snapshots
            .iter()
            .map(|(time, att)| Snapshot {
                label: "",
                time_nanos: *time,
                attribution: att,
            })
            .collect();
        let comparison = compare::compare(&snapshots, self.thresholds);
        comparison
            .trends
            .into_iter()
            .map(|t| SiteStatus {
                site: site::map_label(&t.sites, &t.key, root),
                map_type: t.map_type,
                bytes: t.values.last().copied().unwrap_or(0),
                growth_per_hour: t.slope_per_second.map(|s| s * 3600.0),
                verdict: t.verdict,
                evidence: t.evidence,
                functions: t.sites.iter().map(|s| s.function.clone()).collect(),
            })
            .collect()
    }
}
