//! Weighted nearest-rank quantiles.

/// Nearest-rank quantiles `qs` (0–1) of `(value, weight)` pairs; `None` when the total weight is 0.
pub fn weighted_quantiles(values: &mut Vec<(f64, u32)>, qs: &[f64]) -> Option<Vec<f64>> {
    values.retain(|(v, w)| v.is_finite() && *w > 0);
    values.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: u64 = values.iter().map(|(_, w)| u64::from(*w)).sum();
    if total == 0 {
        return None;
    }
    let mut out = Vec::with_capacity(qs.len());
    for &q in qs {
        let rank = ((q * total as f64).ceil() as u64).clamp(1, total);
        let mut seen = 0u64;
        let mut value = values[values.len() - 1].0;
        for &(v, w) in values.iter() {
            seen += u64::from(w);
            if seen >= rank {
                value = v;
                break;
            }
        }
        out.push(value);
    }
    Some(out)
}

/// Median of finite values (mean of the middle two); `None` when empty.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    Some(if v.len().is_multiple_of(2) {
        (v[mid - 1] + v[mid]) / 2.0
    } else {
        v[mid]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_quantiles() {
        let mut v: Vec<(f64, u32)> = (1..=100).rev().map(|i| (f64::from(i), 1)).collect();
        assert_eq!(
            weighted_quantiles(&mut v, &[0.5, 0.9, 0.99, 1.0]).unwrap(),
            vec![50.0, 90.0, 99.0, 100.0]
        );
        let mut w = vec![(1.0, 9), (10.0, 1)];
        assert_eq!(
            weighted_quantiles(&mut w, &[0.5, 0.9, 0.95]).unwrap(),
            vec![1.0, 1.0, 10.0]
        );
        assert_eq!(weighted_quantiles(&mut Vec::new(), &[0.5]), None);
        assert_eq!(median(&[3.0, 1.0, 2.0, 10.0]), Some(2.5));
    }
}
