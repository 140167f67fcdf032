//! Plain-words formatting of bytes, durations and rates for evidence sentences.

/// `12.3 MB` (MiB-based, as gctrace prints), `512 kB`, `900 B`.
pub fn bytes(v: f64) -> String {
    let a = v.abs();
    if a >= 1024.0 * 1024.0 * 1024.0 {
        format!("{:.2} GB", v / (1024.0 * 1024.0 * 1024.0))
    } else if a >= 1024.0 * 1024.0 {
        format!("{:.1} MB", v / (1024.0 * 1024.0))
    } else if a >= 1024.0 {
        format!("{:.0} kB", v / 1024.0)
    } else {
        format!("{v:.0} B")
    }
}

/// A growth rate in the time unit that suits the observed window: `38.0 MB/h` over hours,
/// `1.2 MB/min` over minutes, `300 kB/s` over seconds.
pub fn rate(bytes_per_sec: f64, window_secs: f64) -> String {
    if window_secs < 120.0 {
        format!("{}/s", bytes(bytes_per_sec))
    } else if window_secs < 2.0 * 3600.0 {
        format!("{}/min", bytes(bytes_per_sec * 60.0))
    } else {
        format!("{}/h", bytes(bytes_per_sec * 3600.0))
    }
}

/// `40 ms`, `4.2 s`, `6 min`, `6.0 h`, `2.5 d`.
pub fn duration(secs: f64) -> String {
    if secs < 1.0 {
        format!("{:.0} ms", secs * 1e3)
    } else if secs < 120.0 {
        format!("{secs:.1} s")
    } else if secs < 2.0 * 3600.0 {
        format!("{:.0} min", secs / 60.0)
    } else if secs < 2.0 * 86400.0 {
        format!("{:.1} h", secs / 3600.0)
    } else {
        format!("{:.1} d", secs / 86400.0)
    }
}

/// `p < 0.001` or `p = 0.034`.
pub fn p_value(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".to_owned()
    } else {
        format!("p = {p:.3}")
    }
}

/// A pause: `250 µs`, `1.3 ms`.
pub fn pause(secs: f64) -> String {
    if secs < 1e-3 {
        format!("{:.0} µs", secs * 1e6)
    } else if secs < 1.0 {
        format!("{:.2} ms", secs * 1e3)
    } else {
        format!("{secs:.2} s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_read_naturally() {
        assert_eq!(bytes(38.0 * 1024.0 * 1024.0), "38.0 MB");
        assert_eq!(
            rate(38.0 * 1024.0 * 1024.0 / 3600.0, 6.0 * 3600.0),
            "38.0 MB/h"
        );
        assert_eq!(rate(2.0 * 1024.0 * 1024.0, 5.0), "2.0 MB/s");
        assert_eq!(duration(6.0 * 3600.0), "6.0 h");
        assert_eq!(p_value(0.0001), "p < 0.001");
        assert_eq!(pause(0.000_25), "250 µs");
    }
}
