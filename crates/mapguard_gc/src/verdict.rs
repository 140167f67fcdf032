//! The leak decision for one segment, with its evidence in plain words.
//!
//! A leak is a heap-after-GC that keeps growing: the Mann–Kendall test finds an increasing trend
//! both over the whole segment and over its later half (so a warm-up that levels off is not a
//! leak), and the Theil–Sen growth over the segment is material (at least `min_growth` of the
//! median, 10% by default) rather than noise on a flat heap.

use crate::human;
use crate::report::{Confidence, HeapMeasure, Verdict, VerdictKind};
use crate::stats::quantile::median;
use crate::stats::trend::Trend;

/// Fewer heap-after-GC points than this give an inconclusive verdict.
pub const MIN_POINTS: usize = 10;

/// Decision thresholds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VerdictOptions {
    /// Significance level of the trend tests.
    pub alpha: f64,
    /// Smallest growth over the segment, as a fraction of the median, that counts as a leak.
    pub min_growth: f64,
}

impl Default for VerdictOptions {
    fn default() -> Self {
        Self {
            alpha: 0.01,
            min_growth: 0.10,
        }
    }
}

/// The inputs of a decision: the points (x seconds or sample number, y bytes) and their trends.
pub(crate) struct Evidence<'a> {
    /// What y is.
    pub measure: HeapMeasure,
    /// (x, bytes) in x order.
    pub points: &'a [(f64, f64)],
    /// Trend over all points.
    pub full: Option<Trend>,
    /// Trend over the later half.
    pub late: Option<Trend>,
    /// Points in the later half.
    pub late_points: usize,
    /// x is seconds (false: sample number, the input had no clock).
    pub x_is_seconds: bool,
}

/// Decides leak / no leak / inconclusive for one segment.
pub(crate) fn decide(e: &Evidence<'_>, opts: VerdictOptions) -> Verdict {
    let what = e.measure.phrase();
    let n = e.points.len();
    let (Some(full), true) = (e.full, n >= MIN_POINTS) else {
        return Verdict {
            kind: VerdictKind::Inconclusive,
            confidence: Confidence::Low,
            p_value: None,
            growth_bytes_per_hour: None,
            summary: format!(
                "inconclusive: only {n} GC cycles with a {what} figure; at least {MIN_POINTS} are needed"
            ),
            evidence: Vec::new(),
        };
    };
    let late = e.late.unwrap_or(full);
    let ys: Vec<f64> = e.points.iter().map(|p| p.1).collect();
    let med = median(&ys).unwrap_or(0.0).max(1.0);
    let late_ys: Vec<f64> = ys[ys.len() - e.late_points.max(1).min(ys.len())..].to_vec();
    let late_med = median(&late_ys).unwrap_or(med).max(1.0);
    let (x0, x1) = (e.points[0].0, e.points[n - 1].0);
    let span = (x1 - x0).max(0.0);
    let late_span = span / 2.0;
    let growth = full.slope * span;
    let late_growth = late.slope * late_span;
    let rel = growth / med;
    let late_rel = late_growth / late_med;
    let first = ys[0];
    let last = ys[n - 1];
    let (lo, hi) = ys
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &y| {
            (a.min(y), b.max(y))
        });

    let rate = |slope: f64| {
        if e.x_is_seconds {
            human::rate(slope, span)
        } else {
            format!("{} per sample", human::bytes(slope))
        }
    };
    let window = if e.x_is_seconds {
        human::duration(span)
    } else {
        format!("{n} samples")
    };
    let range = format!(
        "{what} ranged {}–{} (median {}) over {n} GC cycles",
        human::bytes(lo),
        human::bytes(hi),
        human::bytes(med)
    );
    let full_test = format!(
        "Mann–Kendall over the whole window: tau {:.2}, {} for growth; Theil–Sen slope {} (95% CI {} to {})",
        full.tau,
        human::p_value(full.p_increase),
        rate(full.slope),
        rate(full.slope_low),
        rate(full.slope_high)
    );
    let late_test = format!(
        "later half: slope {}, {}",
        rate(late.slope),
        human::p_value(late.p_increase)
    );

    let rising = full.p_increase < opts.alpha && late.p_increase < opts.alpha;
    let material = rel >= opts.min_growth && late_rel >= opts.min_growth / 2.0;
    if rising && material && full.slope > 0.0 && late.slope > 0.0 {
        let p = full.p_increase.max(late.p_increase);
        let confidence = if p < 0.001 && late.points >= 20 {
            Confidence::High
        } else {
            Confidence::Medium
        };
        return Verdict {
            kind: VerdictKind::Leak,
            confidence,
            p_value: Some(p),
            growth_bytes_per_hour: e.x_is_seconds.then_some(late.slope * 3600.0),
            summary: format!(
                "leak: {what} rose from {} to {} over {window} and is still growing {} at the end, {}",
                human::bytes(first),
                human::bytes(last),
                rate(late.slope),
                human::p_value(p)
            ),
            evidence: vec![
                format!(
                    "growth over the window {} is {:.0}% of the median {}",
                    human::bytes(growth),
                    rel * 100.0,
                    human::bytes(med)
                ),
                format!("{late_test}: still growing after any warm-up"),
                full_test,
                range,
            ],
        };
    }

    let (summary, reason) = if full.slope < 0.0 && full.p_two_sided < opts.alpha {
        (
            format!("no leak: {what} fell {} over {window}", rate(-full.slope)),
            "the trend is downward".to_owned(),
        )
    } else if full.p_increase < opts.alpha && rel >= opts.min_growth && !rising {
        (
            format!(
                "no leak: {what} grew early ({} → {}) and then levelled off",
                human::bytes(first),
                human::bytes(last)
            ),
            format!("{late_test}: no significant growth past warm-up"),
        )
    } else if rising {
        (
            format!(
                "no leak: {what} crept up {} over {window}, {:.1}% of the median, below the {:.0}% threshold",
                rate(full.slope),
                rel * 100.0,
                opts.min_growth * 100.0
            ),
            "the upward trend is significant but too small to call a leak".to_owned(),
        )
    } else {
        (
            format!(
                "no leak: {what} flat at {} over {window} (trend {}, {})",
                human::bytes(med),
                rate(full.slope),
                human::p_value(full.p_increase)
            ),
            "no significant upward trend".to_owned(),
        )
    };
    // How much growth the data cannot rule out: the later half's 95% upper slope over the window.
    let reason_has_late = reason.starts_with("later half");
    let upper_growth = late.slope_high.max(0.0) * span / late_med;
    let confidence = if n >= 30 && late.points >= 15 && upper_growth < opts.min_growth {
        Confidence::High
    } else if n >= 20 {
        Confidence::Medium
    } else {
        Confidence::Low
    };
    Verdict {
        kind: VerdictKind::NoLeak,
        confidence,
        p_value: Some(full.p_increase),
        growth_bytes_per_hour: e.x_is_seconds.then_some(full.slope * 3600.0),
        summary,
        evidence: vec![
            reason,
            format!(
                "growth the data cannot rule out (95% upper bound of the later-half slope): {:.0}% over the window",
                upper_growth * 100.0
            ),
            full_test,
            range,
        ]
        .into_iter()
        .chain((!reason_has_late).then_some(late_test))
        .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::trend::trend;

    fn judge(points: &[(f64, f64)]) -> Verdict {
        let half = points[0].0 + (points[points.len() - 1].0 - points[0].0) / 2.0;
        let late: Vec<(f64, f64)> = points.iter().copied().filter(|p| p.0 >= half).collect();
        decide(
            &Evidence {
                measure: HeapMeasure::LiveHeap,
                points,
                full: trend(points),
                late: trend(&late),
                late_points: late.len(),
                x_is_seconds: true,
            },
            VerdictOptions::default(),
        )
    }

    const MB: f64 = 1024.0 * 1024.0;

    #[test]
    fn steady_growth_is_a_leak() {
        let pts: Vec<(f64, f64)> = (0..60)
            .map(|i| {
                (
                    f64::from(i) * 60.0,
                    (10.0 + f64::from(i % 3) + f64::from(i) * 0.5) * MB,
                )
            })
            .collect();
        let v = judge(&pts);
        assert_eq!(v.kind, VerdictKind::Leak, "{v:?}");
        assert_eq!(v.confidence, Confidence::High);
        assert!(
            v.summary
                .contains("over 59 min and is still growing 512 kB/min"),
            "{}",
            v.summary
        );
    }

    #[test]
    fn warm_up_then_flat_is_not_a_leak() {
        let pts: Vec<(f64, f64)> = (0..60)
            .map(|i| (f64::from(i), (f64::from(i.min(15)) + f64::from(i % 2)) * MB))
            .collect();
        let v = judge(&pts);
        assert_eq!(v.kind, VerdictKind::NoLeak, "{v:?}");
        assert!(v.summary.contains("levelled off"), "{}", v.summary);
    }

    #[test]
    fn noise_is_not_a_leak_and_few_points_are_inconclusive() {
        let pts: Vec<(f64, f64)> = (0..60)
            .map(|i| (f64::from(i), (20.0 + f64::from((i * 7) % 5)) * MB))
            .collect();
        assert_eq!(judge(&pts).kind, VerdictKind::NoLeak);
        assert_eq!(judge(&pts[..5]).kind, VerdictKind::Inconclusive);
    }
}
