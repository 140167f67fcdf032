//! Binomial expectations: how many keys land in one bucket or one table's hash range.

/// `ln(k!)`: exact sums below 32, Stirling's series (error < 1e-13) above.
fn ln_factorial(k: u64) -> f64 {
    if k < 32 {
        return (2..=k).map(|i| (i as f64).ln()).sum();
    }
    let x = k as f64;
    x * x.ln() - x + 0.5 * (2.0 * std::f64::consts::PI * x).ln() + 1.0 / (12.0 * x)
        - 1.0 / (360.0 * x.powi(3))
        + 1.0 / (1260.0 * x.powi(5))
}

/// The binomial distribution Bin(n, p), summed over the range that carries all but ~1e-30 of its
/// mass.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Binomial {
    n: u64,
    p: f64,
}

impl Binomial {
    pub(crate) fn new(n: u64, p: f64) -> Self {
        Self {
            n,
            p: p.clamp(0.0, 1.0),
        }
    }

    fn window(self) -> (u64, u64) {
        let mean = self.n as f64 * self.p;
        let sd = (mean * (1.0 - self.p)).sqrt();
        let lo = (mean - 13.0 * sd - 20.0).floor().max(0.0) as u64;
        let hi = ((mean + 13.0 * sd + 20.0).ceil() as u64).min(self.n);
        (lo, hi)
    }

    fn pmf(self, k: u64) -> f64 {
        if self.p <= 0.0 {
            return if k == 0 { 1.0 } else { 0.0 };
        }
        if self.p >= 1.0 {
            return if k == self.n { 1.0 } else { 0.0 };
        }
        let ln = ln_factorial(self.n) - ln_factorial(k) - ln_factorial(self.n - k)
            + k as f64 * self.p.ln()
            + (self.n - k) as f64 * (1.0 - self.p).ln();
        ln.exp()
    }

    /// `E[f(X)]`.
    pub(crate) fn expect(self, mut f: impl FnMut(u64) -> f64) -> f64 {
        let (lo, hi) = self.window();
        (lo..=hi).map(|k| self.pmf(k) * f(k)).sum()
    }

    /// `P(X <= k)`.
    pub(crate) fn cdf(self, k: u64) -> f64 {
        let (lo, hi) = self.window();
        if k < lo {
            return 0.0;
        }
        if k >= hi {
            return 1.0;
        }
        (lo..=k).map(|i| self.pmf(i)).sum::<f64>().min(1.0)
    }
}

/// `P(Z > z)` for a standard normal Z (Abramowitz–Stegun 7.1.26, error < 1.5e-7).
pub(crate) fn normal_tail(z: f64) -> f64 {
    let x = z.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erfc = poly * (-x * x).exp();
    if z >= 0.0 {
        erfc / 2.0
    } else {
        1.0 - erfc / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_to_one_and_has_the_right_mean() {
        for (n, p) in [
            (10, 0.5),
            (1_000_000, 1.0 / 2048.0),
            (104, 1.0 / 16.0),
            (3, 1.0),
        ] {
            let b = Binomial::new(n, p);
            assert!((b.expect(|_| 1.0) - 1.0).abs() < 1e-9, "{n} {p}");
            assert!((b.expect(|k| k as f64) - n as f64 * p).abs() < 1e-6 * n as f64);
        }
        assert!((Binomial::new(10, 0.5).cdf(5) - 0.623_046_875).abs() < 1e-12);
        assert!((normal_tail(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_tail(1.96) - 0.025).abs() < 1e-3);
        assert!((normal_tail(-1.96) - 0.975).abs() < 1e-3);
    }
}
