//! A robust trend: Theil–Sen slope with Sen's confidence interval, and the Mann–Kendall test.

use serde::Serialize;

use super::normal::upper_tail;

/// Above this many points the trend is computed on an evenly spaced subset (both methods are O(n²)).
pub const MAX_POINTS: usize = 1200;

/// z for a two-sided 95% interval.
const Z_95: f64 = 1.959_964;

/// A monotone trend in `y` over `x`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Trend {
    /// Points used (after subsampling).
    pub points: usize,
    /// Theil–Sen slope: median of pairwise slopes, units of y per unit of x.
    pub slope: f64,
    /// 95% confidence interval of the slope (Sen 1968).
    pub slope_low: f64,
    /// Upper end of the 95% interval.
    pub slope_high: f64,
    /// Mann–Kendall S: concordant minus discordant pairs.
    pub mk_s: f64,
    /// Kendall's tau: S over the number of pairs.
    pub tau: f64,
    /// Normal score of S, with tie and continuity corrections.
    pub z: f64,
    /// One-sided p-value for an increasing trend.
    pub p_increase: f64,
    /// Two-sided p-value for any trend.
    pub p_two_sided: f64,
}

/// Theil–Sen and Mann–Kendall on `(x, y)` in x order. `None` for fewer than 3 points or one x.
pub fn trend(points: &[(f64, f64)]) -> Option<Trend> {
    let pts = subsample(points);
    let n = pts.len();
    if n < 3 {
        return None;
    }
    let mut slopes = Vec::with_capacity(n * (n - 1) / 2);
    let mut s = 0i64;
    for i in 0..n {
        let (xi, yi) = pts[i];
        for &(xj, yj) in &pts[i + 1..] {
            s += sign(yj - yi);
            let dx = xj - xi;
            if dx > 0.0 {
                slopes.push((yj - yi) / dx);
            }
        }
    }
    if slopes.is_empty() {
        return None;
    }
    slopes.sort_by(f64::total_cmp);
    let m = slopes.len();
    let slope = if m % 2 == 1 {
        slopes[m / 2]
    } else {
        (slopes[m / 2 - 1] + slopes[m / 2]) / 2.0
    };
    let var = variance_of_s(&pts);
    let sd = var.sqrt();
    let s = s as f64;
    let z = if sd == 0.0 {
        0.0
    } else if s > 0.0 {
        (s - 1.0) / sd
    } else if s < 0.0 {
        (s + 1.0) / sd
    } else {
        0.0
    };
    // Sen's interval: ranks (N - C)/2 and (N + C)/2 of the ordered slopes, C = z·sd(S).
    let c = Z_95 * sd;
    let lower_rank = ((m as f64 - c) / 2.0).floor().max(0.0) as usize;
    let upper_rank = (((m as f64 + c) / 2.0).ceil() as usize).min(m - 1);
    Some(Trend {
        points: n,
        slope,
        slope_low: slopes[lower_rank.min(m - 1)],
        slope_high: slopes[upper_rank],
        mk_s: s,
        tau: s / (n * (n - 1) / 2) as f64,
        z,
        p_increase: upper_tail(z),
        p_two_sided: (2.0 * upper_tail(z.abs())).min(1.0),
    })
}

/// Var(S) with the correction for tied y values.
fn variance_of_s(pts: &[(f64, f64)]) -> f64 {
    let n = pts.len() as f64;
    let mut ys: Vec<f64> = pts.iter().map(|p| p.1).collect();
    ys.sort_by(f64::total_cmp);
    let mut ties = 0.0;
    let mut run = 1.0;
    for w in ys.windows(2) {
        if w[0] == w[1] {
            run += 1.0;
        } else {
            ties += run * (run - 1.0) * (2.0 * run + 5.0);
            run = 1.0;
        }
    }
    ties += run * (run - 1.0) * (2.0 * run + 5.0);
    (n * (n - 1.0) * (2.0 * n + 5.0) - ties) / 18.0
}

fn sign(d: f64) -> i64 {
    if d > 0.0 {
        1
    } else if d < 0.0 {
        -1
    } else {
        0
    }
}

fn subsample(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    if points.len() <= MAX_POINTS {
        return points.to_vec();
    }
    let step = (points.len() - 1) as f64 / (MAX_POINTS - 1) as f64;
    (0..MAX_POINTS)
        .map(|i| points[((i as f64 * step).round() as usize).min(points.len() - 1)])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mann_kendall_matches_the_textbook_value_for_1_to_5() {
        // R: Kendall::MannKendall(1:5) -> tau = 1, 2-sided pvalue = 0.027486
        let pts: Vec<(f64, f64)> = (1..=5).map(|i| (f64::from(i), f64::from(i))).collect();
        let t = trend(&pts).unwrap();
        assert_eq!(t.mk_s, 10.0);
        assert_eq!(t.tau, 1.0);
        assert!((t.p_two_sided - 0.027486).abs() < 1e-5, "{}", t.p_two_sided);
        assert_eq!(t.slope, 1.0);
    }

    #[test]
    fn ties_shrink_the_variance() {
        let pts = [(1.0, 1.0), (2.0, 1.0), (3.0, 2.0)];
        let t = trend(&pts).unwrap();
        // Var(S) = (3·2·11 − 2·1·9)/18 = 8/3; z = (2 − 1)/sqrt(8/3)
        assert!((t.z - 1.0 / (8.0f64 / 3.0).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn theil_sen_ignores_outliers() {
        let mut pts: Vec<(f64, f64)> = (0..20)
            .map(|i| (f64::from(i), 2.0 * f64::from(i) + 1.0))
            .collect();
        pts[5].1 = 1000.0;
        pts[15].1 = -1000.0;
        let t = trend(&pts).unwrap();
        assert_eq!(t.slope, 2.0);
        assert!(t.slope_low <= 2.0 && t.slope_high >= 2.0);
        assert!(t.p_increase < 1e-3, "{}", t.p_increase);
    }

    #[test]
    fn flat_and_falling_series_are_not_increasing() {
        let flat: Vec<(f64, f64)> = (0..30).map(|i| (f64::from(i), 5.0)).collect();
        let t = trend(&flat).unwrap();
        assert_eq!((t.slope, t.z), (0.0, 0.0));
        let falling: Vec<(f64, f64)> = (0..30).map(|i| (f64::from(i), -f64::from(i))).collect();
        assert!(trend(&falling).unwrap().p_increase > 0.999);
        assert!(trend(&[(1.0, 1.0), (1.0, 2.0), (1.0, 3.0)]).is_none());
    }

    #[test]
    fn long_series_are_subsampled() {
        let pts: Vec<(f64, f64)> = (0..10_000)
            .map(|i| (f64::from(i), f64::from(i % 7)))
            .collect();
        let t = trend(&pts).unwrap();
        assert_eq!(t.points, MAX_POINTS);
    }
}
