//! The Swiss-table map (go1.24+ src/internal/runtime/maps).
//!
//! Up to 8 entries live in one group ("small map"). Beyond that, a directory points at tables of
//! 16–1024 slots (power of two, at most 7/8 full). A full table doubles until 1024 slots, then
//! splits into two 1024-slot tables one hash bit deeper; the directory doubles when a table at the
//! global depth splits. Keys reach a table at depth d with probability 2^-d, so a depth-d hash
//! prefix holds Binomial(n, 2^-d) keys, and a prefix is a final table exactly when it holds
//! ≤ 896 keys while its parent holds more. Growth is not incremental: old groups are garbage at
//! once.

use super::{
    AllocKind, Allocation, Footprint, GrowthEvent, GrowthStep, MapModel, SLOTS, Structure, round,
    simple,
};
use crate::stats::Binomial;

/// `maxTableCapacity`, in slots.
const MAX_TABLE_CAPACITY: u64 = 1024;
/// Entries a 1024-slot table takes before it splits.
const SPLIT_AT: u64 = MAX_TABLE_CAPACITY * 7 / 8;

/// `maxGrowthLeft` of an empty table: capacity−1 up to 8 slots, else 7/8 of it.
pub(super) fn max_growth(capacity: u64) -> u64 {
    if capacity <= SLOTS {
        capacity.saturating_sub(1)
    } else {
        capacity * 7 / 8
    }
}

/// Capacity a table that started at `c0` slots reaches holding `x` entries (without splitting).
fn capacity_for(x: u64, c0: u64) -> u64 {
    let mut c = c0;
    while max_growth(c) < x && c < MAX_TABLE_CAPACITY {
        c *= 2;
    }
    c
}

fn group_array_bytes(m: &MapModel, capacity: u64) -> u64 {
    m.alloc.consumed(
        (capacity / SLOTS).saturating_mul(m.shape.group.size),
        m.shape.group_noscan(),
    )
}

fn table_struct_bytes(m: &MapModel) -> u64 {
    m.alloc.consumed(m.structs().table, false)
}

fn directory_bytes(m: &MapModel, len: u64) -> u64 {
    m.alloc
        .consumed(len.saturating_mul(m.target.arch.ptr_size()), false)
}

/// How `NewMap(hint)` lays out a hinted map: directory depth and starting table capacity.
fn hinted_layout(hint: u64) -> (u32, u64) {
    let target = hint.saturating_mul(SLOTS) / 7;
    let dir = target
        .div_ceil(MAX_TABLE_CAPACITY)
        .max(1)
        .next_power_of_two();
    let depth = dir.trailing_zeros();
    let capacity = (target / dir)
        .max(SLOTS)
        .next_power_of_two()
        .min(MAX_TABLE_CAPACITY);
    (depth, capacity)
}

/// `P(a depth-d prefix holds ≤ k of n keys)`.
fn cdf(n: u64, d: u32, k: u64) -> f64 {
    Binomial::new(n, 0.5f64.powi(d as i32)).cdf(k)
}

pub(super) fn footprint(m: &MapModel, n: u64, hint: Option<u64>) -> Footprint {
    let mut f = Footprint {
        header: m.alloc.consumed(m.structs().swiss_map, false),
        exact: true,
        ..Footprint::default()
    };
    let (depth, c0) = match hint.filter(|&h| h > SLOTS) {
        Some(h) => hinted_layout(h),
        None if n == 0 => return f,
        None if n <= SLOTS => {
            f.buckets = m.alloc.consumed(m.shape.group.size, m.shape.group_noscan());
            f.structure = Structure::SmallGroup;
            return f;
        }
        None => (0, 2 * SLOTS),
    };
    tables(m, n, depth, c0, &mut f);
    f
}

/// Fills the table, group and directory parts for `n` keys under tables that start at depth
/// `g0` with `c0` slots.
fn tables(m: &MapModel, n: u64, g0: u32, c0: u64, f: &mut Footprint) {
    let width = 2f64.powi(g0 as i32);
    let at_g0 = Binomial::new(n, 1.0 / width);
    // Most likely, every table keeps its starting capacity: report that configuration.
    let stays = at_g0.cdf(max_growth(c0)).powf(width);
    if stays >= 0.5 {
        let count = 1u64 << g0.min(62);
        f.buckets = count.saturating_mul(group_array_bytes(m, c0));
        f.tables = count.saturating_mul(table_struct_bytes(m));
        f.directory = directory_bytes(m, count);
        f.exact = stays >= 0.99;
        f.structure = Structure::Tables {
            tables: count as f64,
            capacity: c0,
            directory_len: count as f64,
        };
        return;
    }
    let mut groups = width
        * at_g0.expect(|x| {
            if x <= SPLIT_AT {
                group_array_bytes(m, capacity_for(x, c0)) as f64
            } else {
                0.0
            }
        });
    let mut count = width * cdf(n, g0, SPLIT_AT);
    let full = group_array_bytes(m, MAX_TABLE_CAPACITY) as f64;
    let mut directory = 0.0;
    let mut directory_len = 0.0;
    let mut p_depth_below = 0.0; // P(max depth < d)
    let mut d = g0;
    loop {
        let f_d = cdf(n, d, SPLIT_AT);
        if d > g0 {
            let f_parent = cdf(n, d - 1, SPLIT_AT);
            let leaves = 2f64.powi(d as i32) * (f_d - f_parent).max(0.0);
            count += leaves;
            groups += leaves * full;
        }
        // P(every depth-d prefix holds ≤ 896) ≈ F_d^(2^d): prefixes are nearly independent.
        let p_depth_at_most = f_d.powf(2f64.powi(d as i32)).max(p_depth_below);
        let p_here = p_depth_at_most - p_depth_below;
        let len = 1u64 << d.min(62);
        directory += p_here * directory_bytes(m, len) as f64;
        directory_len += p_here * len as f64;
        p_depth_below = p_depth_at_most;
        if (f_d >= 1.0 - 1e-12 && p_depth_below >= 1.0 - 1e-12) || d >= 62 {
            break;
        }
        d += 1;
    }
    f.buckets = round(groups);
    f.tables = round(count * table_struct_bytes(m) as f64);
    f.directory = round(directory);
    let single = g0 == 0 && n <= SPLIT_AT;
    f.exact = single;
    f.structure = Structure::Tables {
        tables: count,
        capacity: if single {
            capacity_for(n, c0)
        } else if g0 == 0 {
            MAX_TABLE_CAPACITY
        } else {
            c0
        },
        directory_len,
    };
}

pub(super) fn growth_steps(m: &MapModel, upto: u64, hint: Option<u64>) -> Vec<GrowthStep> {
    let mut steps = Vec::new();
    let mut push = |entries: u64, event: GrowthEvent| {
        if entries < upto {
            steps.push(GrowthStep {
                entries,
                footprint: footprint(m, entries, hint),
                event,
            });
        }
    };
    let (g0, c0) = match hint.filter(|&h| h > SLOTS) {
        Some(h) => {
            push(0, GrowthEvent::Preallocated);
            hinted_layout(h)
        }
        None => {
            push(1, GrowthEvent::SmallGroup);
            push(
                SLOTS + 1,
                GrowthEvent::TableGrew {
                    capacity: 2 * SLOTS,
                },
            );
            (0, 2 * SLOTS)
        }
    };
    if g0 == 0 {
        let mut c = c0;
        while c < MAX_TABLE_CAPACITY {
            push(
                max_growth(c) + 1,
                GrowthEvent::TableGrew { capacity: 2 * c },
            );
            c *= 2;
        }
    }
    for k in g0..40 {
        let entries = SPLIT_AT * (1u64 << k) + 1;
        if entries >= upto {
            break;
        }
        let tables = match footprint(m, entries, hint).structure {
            Structure::Tables { tables, .. } => tables,
            _ => 0.0,
        };
        push(entries, GrowthEvent::Split { tables });
    }
    steps
}

pub(super) fn allocation_sizes(m: &MapModel, max_entries: u64) -> Vec<Allocation> {
    let mut out = vec![
        simple(
            m.alloc.consumed(m.structs().swiss_map, false),
            AllocKind::Header,
        ),
        simple(
            m.alloc.consumed(m.shape.group.size, m.shape.group_noscan()),
            AllocKind::SmallGroup,
        ),
        simple(table_struct_bytes(m), AllocKind::Table),
    ];
    let mut c = 2 * SLOTS;
    while c <= MAX_TABLE_CAPACITY {
        if c == 2 * SLOTS || max_entries > max_growth(c / 2) {
            let low = if c == 2 * SLOTS {
                SLOTS + 1
            } else if c == MAX_TABLE_CAPACITY {
                SPLIT_AT / 2
            } else {
                max_growth(c / 2) + 1
            };
            out.push(Allocation {
                bytes: group_array_bytes(m, c),
                kind: AllocKind::GroupArray,
                b: None,
                capacity: Some(c),
                entries: Some((low, max_growth(c))),
            });
        }
        c *= 2;
    }
    let mut d = 0u32;
    loop {
        out.push(Allocation {
            bytes: directory_bytes(m, 1u64 << d),
            kind: AllocKind::Directory,
            b: Some(d),
            capacity: None,
            entries: None,
        });
        if SPLIT_AT.saturating_mul(1u64 << d) >= max_entries.saturating_mul(2) || d >= 40 {
            break;
        }
        d += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::MapShape;
    use crate::types::{Arch, NoTypes, parse_type};
    use crate::version::{GoVersion, Target};

    fn model(k: &str, v: &str) -> MapModel {
        let shape = MapShape::for_types(
            &parse_type(k).unwrap(),
            &parse_type(v).unwrap(),
            Arch::Amd64,
            &NoTypes,
        )
        .unwrap();
        MapModel::new(shape, Target::new(GoVersion::new(26), Arch::Amd64))
    }

    #[test]
    fn hinted_layout_follows_new_map() {
        assert_eq!(hinted_layout(9), (0, 16));
        assert_eq!(hinted_layout(897), (1, 512));
        assert_eq!(hinted_layout(1_000_000), (11, 1024));
    }

    #[test]
    fn research_golden_values_go126() {
        // runtime-anchors §8, go1.26.11.
        let m = model("int64", "int64");
        assert_eq!(m.footprint(0, None).total(), 48);
        assert_eq!(m.footprint(8, None).total(), 192);
        assert_eq!(m.footprint(9, Some(9)).total(), 376);
        assert_eq!(m.footprint(15, None).total(), 664);
        assert_eq!(m.footprint(100, Some(100)).total(), 2392);
        assert_eq!(m.footprint(105, None).total(), 2392);
        assert_eq!(m.footprint(500, None).total(), 18_520);
        assert_eq!(m.footprint(897, Some(897)).total(), 28_032);
        assert_eq!(m.footprint(1000, Some(1000)).total(), 36_992);
        assert_eq!(m.footprint(1_000_000, Some(1_000_000)).total(), 37_832_752);
        let unhinted = m.footprint(1_000_000, None).total();
        assert!((37_740_432..=37_758_896).contains(&unhinted), "{unhinted}");
        let s = model("string", "int");
        assert_eq!(s.footprint(8, None).total(), 256);
        assert_eq!(s.footprint(1000, Some(1000)).total(), 54_656);
        assert_eq!(s.footprint(1_000_000, Some(1_000_000)).total(), 55_920_688);
        assert_eq!(model("int32", "int8").footprint(1, None).total(), 128);
        assert_eq!(model("int64", "[200]byte").footprint(1, None).total(), 400);
    }
}
