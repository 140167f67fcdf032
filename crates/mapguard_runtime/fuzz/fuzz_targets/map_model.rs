//! Any map type, entry count, hint and target: every model entry point returns without panicking,
//! and its figures are consistent (parts add up, deletes never grow, clear never grows).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mapguard_runtime::map::{Counted, MapModel};
use mapguard_runtime::types::{Arch, NoTypes, parse_type};
use mapguard_runtime::version::{GoVersion, Target};

fuzz_target!(|input: (&str, u64, Option<u64>, u8, u8)| {
    let (text, n, hint, arch, minor) = input;
    let Ok(ty) = parse_type(text) else {
        return;
    };
    let Some((key, value)) = ty.as_map() else {
        return;
    };
    let arch = Arch::ALL[usize::from(arch) % Arch::ALL.len()];
    let go = GoVersion::new(19 + u32::from(minor % 9));
    let Ok(model) = MapModel::for_types(key, value, Target::new(go, arch), &NoTypes) else {
        return;
    };
    // Keep counts to what the CLI accepts, so the target stays fast.
    let n = n % (1 << 40);
    let hint = hint.map(|h| h % (1 << 40));
    let f = model.footprint(n, hint);
    assert!(f.total() >= f.map_structure());
    assert!(model.after_delete(n, hint, n / 2).total() <= f.total());
    assert!(model.after_clear(n, hint).total() <= f.total());
    let steps = model.growth_steps(n.min(1 << 24), hint);
    assert!(!steps.is_empty());
    let sizes = model.allocation_sizes(n.min(1 << 24));
    assert!(sizes.iter().all(|a| a.bytes > 0 || model.shape.bucket.size == 0));
    if let Some(e) = model.estimate_entries(f.total(), Counted::Total) {
        assert!(e.low <= e.high);
    }
});
