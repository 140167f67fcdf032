//! A one-line terminal picture of a series: `▁▂▃▅▇`.

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// Draws `values` in at most `width` cells (each cell the mean of the values it covers).
pub fn sparkline(values: &[f64], width: usize) -> String {
    let values: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if values.is_empty() || width == 0 {
        return String::new();
    }
    let cells = width.min(values.len());
    let means: Vec<f64> = (0..cells)
        .map(|c| {
            let from = c * values.len() / cells;
            let to = ((c + 1) * values.len() / cells).max(from + 1);
            values[from..to].iter().sum::<f64>() / (to - from) as f64
        })
        .collect();
    let lo = means.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = means.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    means
        .iter()
        .map(|&v| {
            if hi <= lo {
                BARS[0]
            } else {
                let level = ((v - lo) / (hi - lo) * (BARS.len() - 1) as f64).round() as usize;
                BARS[level.min(BARS.len() - 1)]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_rising_and_flat_series() {
        assert_eq!(
            sparkline(&[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], 8),
            "▁▂▃▄▅▆▇█"
        );
        assert_eq!(sparkline(&[3.0; 4], 10), "▁▁▁▁");
        assert_eq!(sparkline(&[1.0, 1.0, 9.0, 9.0], 2), "▁█");
        assert_eq!(sparkline(&[], 5), "");
    }
}
