//! Pause heat map: STW pauses counted by time bin and pause-length bucket.

use crate::report::Heatmap;

/// Upper edges of the pause buckets, seconds; a last bucket takes everything longer.
pub(crate) const BUCKET_UPPER_SECS: [f64; 13] = [
    10e-6, 25e-6, 50e-6, 100e-6, 250e-6, 500e-6, 1e-3, 2.5e-3, 5e-3, 10e-3, 25e-3, 50e-3, 100e-3,
];

/// Time bins across the elapsed axis.
pub(crate) const TIME_BINS: usize = 48;

/// Bins `(elapsed_secs, pause_secs, weight)` over `[0, end_secs]`.
pub(crate) fn build(pauses: &[(f64, f64, u32)], end_secs: f64) -> Heatmap {
    let end = if end_secs > 0.0 { end_secs } else { 1.0 };
    let width = end / TIME_BINS as f64;
    let buckets = BUCKET_UPPER_SECS.len() + 1;
    let mut counts = vec![vec![0u64; buckets]; TIME_BINS];
    for &(t, secs, weight) in pauses {
        if !t.is_finite() || !secs.is_finite() {
            continue;
        }
        let bin = ((t / width).floor().max(0.0) as usize).min(TIME_BINS - 1);
        let bucket = BUCKET_UPPER_SECS
            .iter()
            .position(|&upper| secs <= upper)
            .unwrap_or(buckets - 1);
        counts[bin][bucket] += u64::from(weight);
    }
    Heatmap {
        time_bins_secs: (0..TIME_BINS).map(|i| i as f64 * width).collect(),
        end_secs: end,
        bucket_upper_secs: BUCKET_UPPER_SECS
            .iter()
            .copied()
            .map(Some)
            .chain([None])
            .collect(),
        counts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_by_time_and_length() {
        let h = build(&[(0.0, 5e-6, 1), (47.9, 0.2, 3), (10.0, 300e-6, 1)], 48.0);
        assert_eq!(h.counts[0][0], 1);
        assert_eq!(h.counts[47][13], 3);
        assert_eq!(h.counts[10][5], 1);
        assert_eq!(h.counts.iter().flatten().sum::<u64>(), 5);
    }
}
