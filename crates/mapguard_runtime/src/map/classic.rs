//! The classic bucket map (go1.23.5 src/runtime/map.go; Go 1.24/1.25 with noswissmap).
//!
//! `B` is log2 of the bucket count. A map holds at most 8 entries at B = 0 and 13·2^(B-1) (load
//! factor 6.5) above. `makeBucketArray` preallocates 2^(B-4) overflow buckets from B = 4, plus
//! whatever slack size-class rounding leaves. Overflow chains depend on how keys hash: the number
//! of keys per bucket is Binomial(n, 2^-B), and a bucket with k > 8 keys has ⌈k/8⌉-1 overflow
//! buckets (inserts fill chains in order, evacuation packs them).

use super::{
    AllocKind, Allocation, Footprint, GrowthEvent, GrowthStep, MapModel, Structure, round, simple,
};
use crate::stats::{Binomial, normal_tail};

/// Largest entry count bucket array `2^b` holds before the map grows (`overLoadFactor`).
pub(super) fn capacity(b: u32) -> u64 {
    if b == 0 {
        8
    } else {
        13u64.saturating_mul(1u64 << (b - 1).min(62))
    }
}

/// The `B` that `makemap` picks for a hint, and that a map reaches by growth with `n` entries.
pub(super) fn b_for(n: u64) -> u32 {
    let mut b = 0;
    while n > capacity(b) {
        b += 1;
    }
    b
}

/// Buckets in the array for `b`, preallocated overflow buckets included (`makeBucketArray`).
fn array_buckets(m: &MapModel, b: u32) -> u64 {
    let base = 1u64 << b.min(62);
    if b < 4 {
        return base;
    }
    let size = m.shape.bucket.size;
    let nb = base + (1u64 << (b - 4));
    m.alloc
        .roundupsize(nb.saturating_mul(size), m.shape.bucket_noscan())
        / size.max(1)
}

/// Consumed bytes of the bucket array for `b`.
fn array_bytes(m: &MapModel, b: u32) -> u64 {
    m.alloc.consumed(
        array_buckets(m, b).saturating_mul(m.shape.bucket.size),
        m.shape.bucket_noscan(),
    )
}

/// Overflow buckets for `n` keys in 2^b buckets: the expected count, its variance, and the
/// probability of at least one.
fn overflow_stats(n: u64, b: u32) -> (f64, f64, f64) {
    if n <= 8 {
        return (0.0, 0.0, 0.0);
    }
    let buckets = (1u64 << b.min(62)) as f64;
    let per_bucket = Binomial::new(n, 1.0 / buckets);
    let chain = |k: u64| if k > 8 { ((k - 1) / 8) as f64 } else { 0.0 };
    let mean = per_bucket.expect(chain);
    let square = per_bucket.expect(|k| chain(k) * chain(k));
    let p_any = 1.0 - per_bucket.cdf(8).powf(buckets);
    (
        buckets * mean,
        buckets * (square - mean * mean).max(0.0),
        p_any,
    )
}

/// Probability that the overflow count differs from what [`overflow_bytes`] assumes in a way
/// that shows in the bytes: any overflow at all for noscan buckets (the overflow list), more than
/// the preallocated ones otherwise.
fn p_overflow_visible(m: &MapModel, n: u64, b: u32) -> f64 {
    let (mean, variance, p_any) = overflow_stats(n, b);
    let prealloc = array_buckets(m, b) - (1u64 << b.min(62));
    if m.shape.bucket_noscan() || prealloc == 0 {
        return p_any;
    }
    if variance <= 0.0 {
        return if mean > prealloc as f64 { 1.0 } else { 0.0 };
    }
    normal_tail((prealloc as f64 + 0.5 - mean) / variance.sqrt())
}

/// Capacity of the noscan overflow list after `k` appends.
fn list_capacity(m: &MapModel, k: u64) -> u64 {
    let ptr = m.target.arch.ptr_size();
    let mut cap = 0;
    while cap < k {
        cap = m.alloc.append_cap(cap, cap + 1, ptr, false);
    }
    cap
}

/// Bytes of overflow buckets beyond the preallocation plus the noscan overflow list, for `n` keys
/// in the array of `b`, taking the expected overflow count rounded to whole buckets; also the
/// expected count itself and the chance there is any overflow.
fn overflow_bytes(m: &MapModel, n: u64, b: u32) -> (u64, f64, f64) {
    let (expected, _, p_any) = overflow_stats(n, b);
    let count = expected.round() as u64;
    let prealloc = array_buckets(m, b) - (1u64 << b.min(62));
    let bucket = m
        .alloc
        .consumed(m.shape.bucket.size, m.shape.bucket_noscan());
    let mut bytes = count.saturating_sub(prealloc) * bucket;
    if m.shape.bucket_noscan() && count > 0 {
        let ptr = m.target.arch.ptr_size();
        bytes += m.alloc.consumed(3 * ptr, false);
        bytes += m.alloc.consumed(list_capacity(m, count) * ptr, false);
    }
    (bytes, expected, p_any)
}

/// Probability that evacuation of `old` buckets is still running after `writes` inserts
/// (`growWork` evacuates the written key's old bucket, then the one at `nevacuate`).
fn p_growing(old: u64, writes: u64) -> f64 {
    if writes >= old {
        return 0.0;
    }
    if old > 4096 {
        // Continuous limit of the process below: it ends after old·ln 2 writes.
        return if (writes as f64) < old as f64 * std::f64::consts::LN_2 {
            1.0
        } else {
            0.0
        };
    }
    const TRIALS: u32 = 256;
    let mut rng: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut growing = 0;
    let n = old as usize;
    let mut evacuated = vec![false; n];
    for _ in 0..TRIALS {
        evacuated.iter_mut().for_each(|e| *e = false);
        let mut mark = 0usize;
        for _ in 0..writes {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let r = (rng % old) as usize;
            // evacuate(hash & oldmask), then evacuate(nevacuate) if still growing.
            for second in [false, true] {
                if mark >= n {
                    break;
                }
                let bucket = if second { mark } else { r };
                evacuated[bucket] = true;
                if bucket == mark {
                    let stop = (mark + 1024).min(n);
                    while mark < stop && evacuated[mark] {
                        mark += 1;
                    }
                }
            }
        }
        if mark < n {
            growing += 1;
        }
    }
    f64::from(growing) / f64::from(TRIALS)
}

pub(super) fn footprint(m: &MapModel, n: u64, hint: Option<u64>) -> Footprint {
    let header = m.alloc.consumed(m.structs().hmap, false);
    let b_hint = b_for(hint.unwrap_or(0));
    let b = b_for(n).max(b_hint);
    let mut f = Footprint {
        header,
        exact: true,
        ..Footprint::default()
    };
    if n == 0 && b == 0 {
        return f;
    }
    f.buckets = array_bytes(m, b);
    let (overflow, expected, _) = overflow_bytes(m, n, b);
    f.overflow = overflow;
    let has_extra = b >= 4 || (m.shape.bucket_noscan() && expected.round() >= 1.0);
    if has_extra {
        f.extra = m.alloc.consumed(m.structs().mapextra, false);
    }
    let mut growing = 0.0;
    if b > b_hint && b >= 1 {
        let old_b = b - 1;
        let writes = n - capacity(old_b);
        growing = p_growing(1u64 << old_b.min(62), writes);
        if growing > 0.0 {
            let (old_overflow, _, _) = overflow_bytes(m, capacity(old_b), old_b);
            f.old_buckets = round(growing * (array_bytes(m, old_b) + old_overflow) as f64);
        }
    }
    f.exact = p_overflow_visible(m, n, b) < 0.01 && (growing == 0.0 || growing == 1.0);
    f.structure = Structure::Buckets {
        b,
        buckets: array_buckets(m, b),
        expected_overflow: expected,
        growing,
    };
    f
}

pub(super) fn growth_steps(m: &MapModel, upto: u64, hint: Option<u64>) -> Vec<GrowthStep> {
    let mut steps = Vec::new();
    let b_hint = b_for(hint.unwrap_or(0));
    if b_hint > 0 {
        steps.push(GrowthStep {
            entries: 0,
            footprint: footprint(m, 0, hint),
            event: GrowthEvent::Preallocated,
        });
    } else if upto >= 1 {
        steps.push(GrowthStep {
            entries: 1,
            footprint: footprint(m, 1, hint),
            event: GrowthEvent::FirstBucket,
        });
    }
    for b in b_hint + 1..=b_for(upto) {
        let entries = capacity(b - 1) + 1;
        steps.push(GrowthStep {
            entries,
            footprint: footprint(m, entries, hint),
            event: GrowthEvent::Doubled { b },
        });
    }
    steps.retain(|s| s.entries < upto || upto == 0);
    steps
}

pub(super) fn allocation_sizes(m: &MapModel, max_entries: u64) -> Vec<Allocation> {
    let noscan = m.shape.bucket_noscan();
    let mut out = vec![
        simple(m.alloc.consumed(m.structs().hmap, false), AllocKind::Header),
        simple(
            m.alloc.consumed(m.structs().mapextra, false),
            AllocKind::MapExtra,
        ),
        simple(
            m.alloc.consumed(m.shape.bucket.size, noscan),
            AllocKind::OverflowBucket,
        ),
    ];
    let b_max = b_for(max_entries);
    for b in 0..=b_max {
        let low = if b == 0 { 1 } else { capacity(b - 1) + 1 };
        out.push(Allocation {
            bytes: array_bytes(m, b),
            kind: AllocKind::BucketArray,
            b: Some(b),
            capacity: None,
            entries: Some((low, capacity(b))),
        });
    }
    if noscan {
        let ptr = m.target.arch.ptr_size();
        out.push(simple(
            m.alloc.consumed(3 * ptr, false),
            AllocKind::OverflowList,
        ));
        let (most, _, _) = overflow_stats(capacity(b_max), b_max);
        let mut cap = 0;
        while cap < (most * 1.25) as u64 + 8 {
            cap = m.alloc.append_cap(cap, cap + 1, ptr, false);
            out.push(simple(
                m.alloc.consumed(cap * ptr, false),
                AllocKind::OverflowList,
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::MapShape;
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
        let target = if minor >= 24 {
            Target::noswissmap(GoVersion::new(minor), Arch::Amd64).unwrap()
        } else {
            Target::new(GoVersion::new(minor), Arch::Amd64)
        };
        MapModel::new(shape, target)
    }

    #[test]
    fn hint_picks_b_like_makemap() {
        assert_eq!(b_for(0), 0);
        assert_eq!(b_for(8), 0);
        assert_eq!(b_for(9), 1);
        assert_eq!(b_for(13), 1);
        assert_eq!(b_for(14), 2);
        assert_eq!(b_for(104), 4);
        assert_eq!(b_for(105), 5);
        assert_eq!(b_for(1_000_000), 18);
    }

    #[test]
    fn research_golden_values_go123() {
        // runtime-anchors §8, int64→int64 and string→int on go1.23.5.
        let m = model("int64", "int64", 23);
        assert_eq!(m.footprint(0, None).total(), 48);
        assert_eq!(m.footprint(1, None).total(), 192);
        assert_eq!(m.footprint(8, None).total(), 192);
        assert_eq!(m.footprint(9, Some(9)).total(), 336);
        assert_eq!(m.footprint(105, Some(105)).total(), 5448);
        assert_eq!(m.footprint(1_000_000, Some(1_000_000)).total(), 40_157_280);
        let s = model("string", "int", 23);
        assert_eq!(s.footprint(500, None).total(), 28_744);
        assert_eq!(s.footprint(1000, Some(1000)).total(), 57_416);
        assert_eq!(s.footprint(8, None).total(), 256);
        let noswiss = model("int64", "int64", 24);
        assert_eq!(noswiss.footprint(0, None).total(), 64);
        assert_eq!(
            noswiss.footprint(1_000_000, Some(1_000_000)).total(),
            40_157_296
        );
    }

    #[test]
    fn evacuation_finishes_after_about_ln2_of_the_old_buckets() {
        assert_eq!(p_growing(16, 1), 1.0);
        assert_eq!(
            p_growing(2, 1),
            0.0,
            "two old buckets are done after one write"
        );
        assert_eq!(p_growing(16, 16), 0.0);
        assert!(p_growing(1024, 600) > 0.9);
        assert!(p_growing(1024, 800) < 0.1);
    }
}
