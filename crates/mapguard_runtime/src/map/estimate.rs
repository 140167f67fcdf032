//! The inverse model: how many entries explain an observed byte total.

use serde::Serialize;

use super::MapModel;

/// What an observed byte figure includes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Counted {
    /// Header, buckets/groups, tables, directory, overflow — not out-of-line keys/values.
    Structure,
    /// Everything, out-of-line keys and values included.
    Total,
}

/// Entry counts consistent with an observed byte figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EntryEstimate {
    /// Fewest entries whose predicted bytes equal the closest prediction.
    pub low: u64,
    /// Most entries with that prediction.
    pub high: u64,
    /// The predicted bytes closest to the observation.
    pub predicted: u64,
}

/// Predicted bytes of a map filled without a hint, in steady state (no old array).
fn steady(m: &MapModel, n: u64, counted: Counted) -> u64 {
    let f = m.footprint(n, None);
    let structure = f.map_structure() - f.old_buckets;
    match counted {
        Counted::Structure => structure,
        Counted::Total => structure + f.out_of_line_keys + f.out_of_line_values,
    }
}

/// Largest n with `steady(n) <= bytes` (predictions are non-decreasing in n).
fn last_at_most(m: &MapModel, bytes: u64, counted: Counted, max: u64) -> Option<u64> {
    if steady(m, 0, counted) > bytes {
        return None;
    }
    let (mut lo, mut hi) = (0u64, max);
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        if steady(m, mid, counted) <= bytes {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    Some(lo)
}

pub(super) fn estimate(m: &MapModel, observed: u64, counted: Counted) -> Option<EntryEstimate> {
    let arch = m.target.arch;
    // No map can hold more entries than fit in the address space at one byte each.
    let max = arch.address_space().min(arch.max_int());
    let below = last_at_most(m, observed, counted, max);
    let above = match below {
        Some(n) if n < max => Some(n + 1),
        Some(_) => None,
        None => Some(0),
    };
    let pick = match (below, above) {
        (Some(b), Some(a)) => {
            let (pb, pa) = (steady(m, b, counted), steady(m, a, counted));
            if observed - pb <= pa.saturating_sub(observed) {
                b
            } else {
                a
            }
        }
        (Some(b), None) => b,
        (None, Some(a)) => a,
        (None, None) => return None,
    };
    let predicted = steady(m, pick, counted);
    let high = last_at_most(m, predicted, counted, max).unwrap_or(pick);
    let low = match predicted.checked_sub(1) {
        Some(p) => last_at_most(m, p, counted, max).map_or(0, |n| n + 1),
        None => 0,
    };
    // Expected values are rounded to whole bytes, so predictions can wobble by a byte where they
    // grow slowly; keep the answer an interval around the pick.
    Some(EntryEstimate {
        low: low.min(pick),
        high: high.max(pick),
        predicted,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::{Counted, MapShape};
    use crate::types::{Arch, NoTypes, parse_type};
    use crate::version::{GoVersion, Target};

    fn model(k: &str, v: &str, minor: u32) -> MapModel {
        let shape = MapShape::for_types(
            &parse_type(k).unwrap(),
            &parse_type(v).unwrap(),
            Arch::Amd64,
            &NoTypes,
        )
        .unwrap();
        MapModel::new(shape, Target::new(GoVersion::new(minor), Arch::Amd64))
    }

    #[test]
    fn inverts_a_swiss_single_table_step() {
        let m = model("int64", "int64", 26);
        // 113..=224 entries → one 256-slot table.
        let bytes = m.footprint(150, None).total();
        let e = m.estimate_entries(bytes, Counted::Total).unwrap();
        assert_eq!((e.low, e.high, e.predicted), (113, 224, bytes));
    }

    #[test]
    fn out_of_line_values_pin_the_count() {
        let m = model("int64", "[200]byte", 23);
        let bytes = m.footprint(5000, None).total();
        let e = m.estimate_entries(bytes, Counted::Total).unwrap();
        assert!(
            e.low <= 5000 && 5000 <= e.high && e.high - e.low < 5,
            "{e:?}"
        );
    }

    #[test]
    fn below_the_header_means_nothing_fits_but_zero() {
        let m = model("int64", "int64", 26);
        let e = m.estimate_entries(10, Counted::Structure).unwrap();
        assert_eq!((e.low, e.high), (0, 0));
    }
}
