//! The leak decision for one segment, with its evidence in plain words.
//!
//! A leak is a heap-after-GC that keeps growing: the Mann–Kendall test finds an increasing trend
//! over the whole segment (p < alpha, 0.01 by default) and over its later half (p < 0.05), and the growth is
//! material both ways: the Theil–Sen slope of the bin floors over the whole window, and the later
//! half's floor slope carried over the whole window, each reach `min_growth` of the median (10%
//! by default) and twice the later half's robust noise. A warm-up that levels off fails the
//! later-half checks; noise on a flat heap fails the tests or the size threshold.

use crate::human;
use crate::report::{Confidence, HeapMeasure, Verdict, VerdictKind};
use crate::stats::quantile::median;
use crate::stats::trend::{Trend, trend};

/// Significance level of the later-half test: it has half the points, and it only ever confirms
/// a trend the whole-window test (at `alpha`) already found.
const LATE_ALPHA: f64 = 0.05;

/// Fewer heap-after-GC points than this give an inconclusive verdict.
pub const MIN_POINTS: usize = 8;

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

/// What [`decide`] concluded, with the trends it computed.
pub(crate) struct Decision {
    pub(crate) verdict: Verdict,
    pub(crate) full: Option<Trend>,
    pub(crate) late: Option<Trend>,
}

/// The floor of consecutive groups of points: each group's mean x and lowest y. The heap after
/// GC carries floating garbage (objects that died during the concurrent mark) and transient
/// spikes; retained memory raises the floor. Floors also get past gctrace's MiB rounding.
fn bin_floors(points: &[(f64, f64)], max_bins: usize) -> Vec<(f64, f64)> {
    let bins = (points.len() / 4).clamp(3, max_bins).min(points.len());
    (0..bins)
        .map(|b| {
            let from = b * points.len() / bins;
            let to = (b + 1) * points.len() / bins;
            let part = &points[from..to];
            (
                part.iter().map(|p| p.0).sum::<f64>() / part.len() as f64,
                part.iter().map(|p| p.1).fold(f64::INFINITY, f64::min),
            )
        })
        .collect()
}

/// Theil–Sen slope of the bin floors; 0 when it cannot be computed.
fn floor_slope(points: &[(f64, f64)], max_bins: usize) -> f64 {
    trend(&bin_floors(points, max_bins)).map_or(0.0, |t| t.slope)
}

/// 1.4826 × the median absolute residual around a line of slope `slope` (σ for normal noise).
fn robust_spread(points: &[(f64, f64)], slope: f64) -> f64 {
    let residuals: Vec<f64> = points.iter().map(|p| p.1 - slope * p.0).collect();
    let Some(center) = median(&residuals) else {
        return 0.0;
    };
    let deviations: Vec<f64> = residuals.iter().map(|r| (r - center).abs()).collect();
    1.4826 * median(&deviations).unwrap_or(0.0)
}

/// Decides leak / no leak / inconclusive for one segment's (x, bytes) points in x order; x is
/// seconds when `x_is_seconds`, else the sample number (the input had no clock).
pub(crate) fn decide(
    measure: HeapMeasure,
    points: &[(f64, f64)],
    x_is_seconds: bool,
    opts: VerdictOptions,
) -> Decision {
    let what = measure.phrase();
    let n = points.len();
    let full = trend(points);
    let (x0, x1) = match (points.first(), points.last()) {
        (Some(a), Some(b)) => (a.0, b.0),
        _ => (0.0, 0.0),
    };
    // The later half by GC cycles: a growing heap spaces cycles out, so halving by time would
    // leave the end of a leak with few points.
    let late_pts: Vec<(f64, f64)> = points[n / 2..].to_vec();
    let late = if late_pts.len() >= 4 {
        trend(&late_pts)
    } else {
        None
    };
    let (Some(full_t), Some(late_t), true) = (full, late, n >= MIN_POINTS) else {
        return Decision {
            verdict: Verdict {
                kind: VerdictKind::Inconclusive,
                confidence: Confidence::Low,
                p_value: None,
                growth_bytes_per_hour: None,
                summary: format!(
                    "inconclusive: only {n} GC cycles with a {what} figure; at least {MIN_POINTS} are needed"
                ),
                evidence: Vec::new(),
            },
            full,
            late,
        };
    };
    let ys: Vec<f64> = points.iter().map(|p| p.1).collect();
    let late_ys: Vec<f64> = late_pts.iter().map(|p| p.1).collect();
    let med = median(&ys).unwrap_or(0.0).max(1.0);
    let late_med = median(&late_ys).unwrap_or(med).max(1.0);
    let span = (x1 - x0).max(0.0);
    let rate_all = floor_slope(points, 16);
    let rate_late = floor_slope(&late_pts, 8);
    let rel = rate_all * span / med;
    // The growth the end of the window would give if it went on for the whole window.
    let late_rel = rate_late * span / late_med;
    let (first, last) = (ys[0], ys[n - 1]);
    let (lo, hi) = ys
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &y| {
            (a.min(y), b.max(y))
        });

    let rate = |slope: f64| {
        if x_is_seconds {
            human::rate(slope, span)
        } else {
            format!("{} per sample", human::bytes(slope))
        }
    };
    let window = if x_is_seconds {
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
        "Mann–Kendall over the whole window: tau {:.2}, {} for growth; Theil–Sen slope {} (95% CI {} to {}), {} for the floor of {} bins",
        full_t.tau,
        human::p_value(full_t.p_increase),
        rate(full_t.slope),
        rate(full_t.slope_low),
        rate(full_t.slope_high),
        rate(rate_all),
        bin_floors(points, 16).len()
    );
    let late_test = format!(
        "later half: {} ({} for growth)",
        rate(rate_late),
        human::p_value(late_t.p_increase)
    );

    // Growth must clear the threshold and the noise: twice the robust spread of the later half
    // around its own trend line.
    let noise = 2.0 * robust_spread(&late_pts, late_t.slope) / late_med;
    let threshold = opts.min_growth.max(noise);
    let rising = full_t.p_increase < opts.alpha && late_t.p_increase < LATE_ALPHA;
    let material = rel >= threshold && late_rel >= threshold;
    if rising && material {
        let p = full_t.p_increase.max(late_t.p_increase);
        let confidence =
            if full_t.p_increase < 0.001 && late_t.p_increase < 0.01 && late_t.points >= 20 {
                Confidence::High
            } else {
                Confidence::Medium
            };
        let verdict = Verdict {
            kind: VerdictKind::Leak,
            confidence,
            p_value: Some(p),
            growth_bytes_per_hour: x_is_seconds.then_some(rate_late * 3600.0),
            summary: format!(
                "leak: {what} rose from {} to {} over {window} and is still growing {} at the end, {}",
                human::bytes(first),
                human::bytes(last),
                rate(rate_late),
                human::p_value(p)
            ),
            evidence: vec![
                format!(
                    "growth over the window {} is {:.0}% of the median {}",
                    human::bytes(rate_all * span),
                    rel * 100.0,
                    human::bytes(med)
                ),
                format!("{late_test}: still growing after any warm-up"),
                full_test,
                range,
            ],
        };
        return Decision {
            verdict,
            full,
            late,
        };
    }

    let (summary, reason) = if rate_all < 0.0 && full_t.p_two_sided < opts.alpha {
        (
            format!("no leak: {what} fell {} over {window}", rate(-rate_all)),
            "the trend is downward".to_owned(),
        )
    } else if full_t.p_increase < opts.alpha
        && (rel >= threshold || full_t.slope * span / med >= threshold)
    {
        (
            format!(
                "no leak: {what} grew early ({} → {}) and then levelled off",
                human::bytes(first),
                human::bytes(last)
            ),
            format!("{late_test}: no material, significant growth past warm-up"),
        )
    } else if rising {
        (
            format!(
                "no leak: {what} crept up {} over {window}, {:.1}% of the median, below the {:.0}% threshold",
                rate(rate_all),
                rel * 100.0,
                threshold * 100.0
            ),
            format!(
                "the upward trend is significant but smaller than {:.0}% of the median or twice the noise",
                opts.min_growth * 100.0
            ),
        )
    } else {
        (
            format!(
                "no leak: {what} flat at {} over {window} (trend {}, {})",
                human::bytes(med),
                rate(rate_all),
                human::p_value(full_t.p_increase)
            ),
            "no significant upward trend".to_owned(),
        )
    };
    let reason_has_late = reason.starts_with("later half");
    // How much growth the data cannot rule out: the later half's 95% upper slope over the window.
    let upper_growth = late_t.slope_high.max(0.0) * span / late_med;
    let confidence = if n >= 30 && late_t.points >= 15 && upper_growth < opts.min_growth {
        Confidence::High
    } else if n >= 20 {
        Confidence::Medium
    } else {
        Confidence::Low
    };
    let verdict = Verdict {
        kind: VerdictKind::NoLeak,
        confidence,
        p_value: Some(full_t.p_increase),
        growth_bytes_per_hour: x_is_seconds.then_some(rate_late * 3600.0),
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
    };
    Decision {
        verdict,
        full,
        late,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judge(points: &[(f64, f64)]) -> Verdict {
        decide(
            HeapMeasure::LiveHeap,
            points,
            true,
            VerdictOptions::default(),
        )
        .verdict
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
