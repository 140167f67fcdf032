//! Comparing attributions over time: a `--base` diff (two profiles) or a series (three or more),
//! with growth per map, slope, and a leak-suspect verdict with its evidence.

use std::collections::HashMap;

use serde::Serialize;

use crate::attribute::{Amount, Attribution, SiteRef};
use crate::sample::SampleKind;

/// One profile of a comparison, in time order.
#[derive(Debug, Clone, Copy)]
pub struct Snapshot<'a> {
    pub label: &'a str,
    /// Nanoseconds since the epoch; 0 when the format has no time (legacy text).
    pub time_nanos: i64,
    pub attribution: &'a Attribution,
}

/// Thresholds for verdicts.
#[derive(Debug, Clone, Copy)]
pub struct Thresholds {
    /// Fewest profiles for a leak verdict.
    pub min_profiles: usize,
    /// Smallest share of the newest profile's heap (0..1) for a leak suspect.
    pub min_share: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            min_profiles: 3,
            min_share: 0.01,
        }
    }
}

/// What the numbers say about one map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Grew in every step over enough profiles and holds a noticeable share of the heap.
    LeakSuspect,
    /// Bigger at the end than at the start.
    Grew,
    Unchanged,
    Shrank,
}

/// Why a verdict was reached.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub profiles: usize,
    /// Never decreased from one profile to the next, and ended higher.
    pub monotonic: bool,
    /// Steps that increased.
    pub increases: usize,
    /// The map's share of the newest profile's total (same sample type), 0..1.
    pub share_of_heap: f64,
}

/// One map over the compared profiles.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    pub key: String,
    pub name: Option<String>,
    pub map_type: Option<String>,
    pub sites: Vec<SiteRef>,
    /// The ranked value (bytes or objects, per sample type) in each profile; 0 when absent.
    pub values: Vec<i64>,
    /// Last minus first.
    pub growth: i64,
    /// Least-squares slope per second, when every profile has a distinct time.
    pub slope_per_second: Option<f64>,
    /// Least-squares slope per profile.
    pub slope_per_profile: f64,
    pub verdict: Verdict,
    pub evidence: Evidence,
}

/// The profiles compared, in order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfileSummary {
    pub label: String,
    pub time_nanos: i64,
    pub total: Amount,
    pub map_total: Amount,
}

/// The comparison: trends sorted by growth, largest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub sample: SampleKind,
    pub profiles: Vec<ProfileSummary>,
    pub trends: Vec<Trend>,
}

impl Comparison {
    /// Maps judged leak suspects.
    pub fn suspects(&self) -> impl Iterator<Item = &Trend> {
        self.trends
            .iter()
            .filter(|t| t.verdict == Verdict::LeakSuspect)
    }
}

/// Compares snapshots given in time order.
pub fn compare(snapshots: &[Snapshot<'_>], thresholds: Thresholds) -> Comparison {
    let sample = snapshots
        .first()
        .map_or(SampleKind::default(), |s| s.attribution.sample);
    let n = snapshots.len();
    let mut trends: Vec<Trend> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, snap) in snapshots.iter().enumerate() {
        for report in &snap.attribution.maps {
            let t = *index.entry(report.key.as_str()).or_insert_with(|| {
                trends.push(Trend {
                    key: report.key.clone(),
                    name: report.name.clone(),
                    map_type: report.map_type.clone(),
                    sites: Vec::new(),
                    values: vec![0; n],
                    growth: 0,
                    slope_per_second: None,
                    slope_per_profile: 0.0,
                    verdict: Verdict::Unchanged,
                    evidence: Evidence {
                        profiles: n,
                        monotonic: false,
                        increases: 0,
                        share_of_heap: 0.0,
                    },
                });
                trends.len() - 1
            });
            trends[t].values[i] = report.map.value(sample);
            trends[t].sites.clone_from(&report.sites);
        }
    }
    let last_total = snapshots
        .last()
        .map_or(0, |s| s.attribution.total.value(sample));
    let times: Vec<f64> = snapshots
        .iter()
        .map(|s| s.time_nanos as f64 / 1e9)
        .collect();
    let distinct_times =
        snapshots.iter().all(|s| s.time_nanos > 0) && times.windows(2).all(|w| w[1] > w[0]);
    let positions: Vec<f64> = (0..n).map(|i| i as f64).collect();
    for t in &mut trends {
        let ys: Vec<f64> = t.values.iter().map(|&v| v as f64).collect();
        t.growth = t
            .values
            .last()
            .copied()
            .unwrap_or(0)
            .saturating_sub(t.values.first().copied().unwrap_or(0));
        t.slope_per_profile = slope(&positions, &ys);
        t.slope_per_second = distinct_times.then(|| slope(&times, &ys));
        let increases = t.values.windows(2).filter(|w| w[1] > w[0]).count();
        let monotonic = t.values.windows(2).all(|w| w[1] >= w[0]) && t.growth > 0;
        let share = if last_total > 0 {
            t.values.last().copied().unwrap_or(0) as f64 / last_total as f64
        } else {
            0.0
        };
        t.evidence = Evidence {
            profiles: n,
            monotonic,
            increases,
            share_of_heap: share,
        };
        t.verdict = if n >= thresholds.min_profiles
            && monotonic
            && increases * 2 >= n - 1
            && share >= thresholds.min_share
        {
            Verdict::LeakSuspect
        } else if t.growth > 0 {
            Verdict::Grew
        } else if t.growth < 0 {
            Verdict::Shrank
        } else {
            Verdict::Unchanged
        };
    }
    trends.sort_by(|a, b| {
        (b.verdict == Verdict::LeakSuspect)
            .cmp(&(a.verdict == Verdict::LeakSuspect))
            .then(b.growth.cmp(&a.growth))
            .then_with(|| a.key.cmp(&b.key))
    });
    Comparison {
        sample,
        profiles: snapshots
            .iter()
            .map(|s| ProfileSummary {
                label: s.label.to_owned(),
                time_nanos: s.time_nanos,
                total: s.attribution.total,
                map_total: s.attribution.map_total,
            })
            .collect(),
        trends,
    }
}

/// Least-squares slope of `ys` over `xs` (0 when undefined).
fn slope(xs: &[f64], ys: &[f64]) -> f64 {
    let n = xs.len() as f64;
    if xs.len() < 2 {
        return 0.0;
    }
    let mx = xs.iter().sum::<f64>() / n;
    let my = ys.iter().sum::<f64>() / n;
    let (mut num, mut den) = (0.0, 0.0);
    for (x, y) in xs.iter().zip(ys) {
        num += (x - mx) * (y - my);
        den += (x - mx) * (x - mx);
    }
    if den == 0.0 { 0.0 } else { num / den }
}

#[cfg(test)]
mod tests {
    use super::slope;

    #[test]
    fn slope_of_a_line() {
        assert!((slope(&[0.0, 1.0, 2.0], &[1.0, 3.0, 5.0]) - 2.0).abs() < 1e-9);
        assert_eq!(slope(&[1.0], &[5.0]), 0.0);
    }
}
