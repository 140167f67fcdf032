//! Parsing and validating `mapguard size` flag values. Every error names the flag and the value.

use anyhow::{Context, bail};
use mapguard_runtime::types::{Arch, TypeMap};

/// Parses an entry count: digits with optional `_` or `,` separators, or `1e6`-style.
pub(super) fn count(flag: &str, text: &str) -> anyhow::Result<u64> {
    let t = text.trim();
    if t.starts_with('-') {
        bail!("{flag} {text}: must not be negative");
    }
    let clean: String = t.chars().filter(|&c| c != '_' && c != ',').collect();
    if let Ok(n) = clean.parse::<u64>() {
        return Ok(n);
    }
    if let Some((mantissa, exp)) = clean.split_once(['e', 'E'])
        && let (Ok(m), Ok(e)) = (mantissa.parse::<u64>(), exp.parse::<u32>())
    {
        return 10u64
            .checked_pow(e)
            .and_then(|p| p.checked_mul(m))
            .with_context(|| format!("{flag} {text}: too large"));
    }
    bail!("{flag} {text:?}: not a whole number of entries")
}

/// Parses `--deleted`: a fraction in [0, 1] or a percentage like `90%`.
pub(super) fn fraction(text: &str) -> anyhow::Result<f64> {
    let t = text.trim();
    let value = match t.strip_suffix('%') {
        Some(pct) => pct.trim().parse::<f64>().map(|p| p / 100.0),
        None => t.parse::<f64>(),
    };
    match value {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => bail!(
            "--deleted {text:?}: expected a fraction between 0 and 1, or a percentage like 90%"
        ),
    }
}

/// Parses `--arch`.
pub(super) fn arch(text: &str) -> anyhow::Result<Arch> {
    text.parse::<Arch>()
        .map_err(|e| anyhow::anyhow!("--arch: {e}"))
}

/// Adds one `--size Name=BYTES[:noptr]` to `types`. Without `:noptr` the type is assumed to hold
/// pointers (a safe default: it only affects the malloc header of big buckets).
pub(super) fn size_override(types: &mut TypeMap, text: &str, arch: Arch) -> anyhow::Result<()> {
    let Some((name, rest)) = text.split_once('=') else {
        bail!("--size {text:?}: expected Name=BYTES, e.g. --size Session=96");
    };
    let (bytes, pointers) = match rest.strip_suffix(":noptr") {
        Some(b) => (b, false),
        None => (rest, true),
    };
    let name = name.trim();
    if name.is_empty() || name.contains(char::is_whitespace) && !name.contains('[') {
        bail!("--size {text:?}: {name:?} is not a Go type name");
    }
    let size = count("--size", bytes).with_context(|| format!("--size {text:?}"))?;
    if size > arch.address_space() {
        bail!("--size {text:?}: larger than the address space of {arch}");
    }
    types.insert_size(name, size, pointers, arch.ptr_size());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts() {
        assert_eq!(count("-n", "1_000_000").unwrap(), 1_000_000);
        assert_eq!(count("-n", "1,000").unwrap(), 1000);
        assert_eq!(count("-n", "2e6").unwrap(), 2_000_000);
        assert!(count("-n", "-5").is_err());
        assert!(count("-n", "lots").is_err());
        assert!(count("-n", "1e30").is_err());
    }

    #[test]
    fn fractions() {
        assert_eq!(fraction("0.9").unwrap(), 0.9);
        assert_eq!(fraction("90%").unwrap(), 0.9);
        assert!(fraction("1.5").is_err());
        assert!(fraction("-0.1").is_err());
    }
}
