//! `MapModel::allocation_sizes` against real heap profiles: testdata/heap/profiles/<go>/truth.json
//! lists every allocation `runtime.MemProfile` recorded (MemProfileRate = 1) whose stack passes
//! through the map runtime, with the user line that caused it. Each such line carries a
//! `// mapsite: <kind> <map type> <name>` marker in testdata/heap/mapsprog/main.go, so the map type
//! of every allocation is known, and its recorded size must be one the model lists.

use std::collections::HashMap;
use std::path::PathBuf;

use mapguard_runtime::map::MapModel;
use mapguard_runtime::types::{Arch, ChainResolver, SourceTypes, StdTypes, parse_type};
use mapguard_runtime::version::{GoVersion, Target};

fn heap_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/heap")
}

/// Frames that allocate nothing but map storage (no user code or GC work runs below them).
const STORAGE_FRAMES: &[&str] = &[
    "runtime.makeBucketArray",
    "runtime.(*hmap).newoverflow",
    "runtime.hashGrow",
    "runtime.makemap",
    "runtime.makemap_small",
    "internal/runtime/maps.newarray",
    "internal/runtime/maps.newTable",
    "internal/runtime/maps.NewMap",
    "internal/runtime/maps.NewEmptyMap",
    "internal/runtime/maps.(*Map).growToTable",
    "internal/runtime/maps.(*Map).installTableSplit",
    "internal/runtime/maps.newobject",
];

fn check(go_dir: &str, minor: u32) {
    let src = std::fs::read_to_string(heap_dir().join("mapsprog/main.go")).unwrap();
    let types = SourceTypes::parse(&src);
    let resolver = ChainResolver::new().with(&types).with(&StdTypes);
    let site_types: HashMap<u64, String> = src
        .lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let marker = line.split("// mapsite: ").nth(1)?;
            let ty = marker.split_whitespace().nth(1)?;
            Some((i as u64 + 1, ty.to_owned()))
        })
        .collect();
    let truth: Vec<serde_json::Value> = serde_json::from_str(
        &std::fs::read_to_string(heap_dir().join("profiles").join(go_dir).join("truth.json"))
            .unwrap(),
    )
    .unwrap();
    let target = Target::new(GoVersion::new(minor), Arch::Amd64);
    let (mut explained, mut total, mut checked) = (0u64, 0u64, 0usize);
    let mut strict_misses = Vec::new();
    for rec in truth.iter().filter(|r| r["map_internal"] == true) {
        let line = rec["line"].as_u64().unwrap();
        let Some(ty) = site_types.get(&line) else {
            continue;
        };
        let ty = parse_type(ty).unwrap();
        let (k, v) = ty.as_map().unwrap();
        let model = MapModel::for_types(k, v, target, &resolver).unwrap();
        let size = rec["size"].as_u64().unwrap();
        let bytes = rec["alloc_bytes"].as_u64().unwrap();
        let known = model
            .allocation_sizes(10_000_000)
            .iter()
            .any(|a| a.bytes == size);
        total += bytes;
        checked += 1;
        if known {
            explained += bytes;
        }
        let frame = rec["map_frame"].as_str().unwrap_or("");
        if !known && STORAGE_FRAMES.contains(&frame) {
            strict_misses.push(format!("{ty} line {line}: {frame} allocated {size} B"));
        }
    }
    assert!(
        checked > 40,
        "{go_dir}: only {checked} map allocations in truth.json"
    );
    assert!(
        strict_misses.is_empty(),
        "{go_dir}:\n{}",
        strict_misses.join("\n")
    );
    // Allocations under mapassign may also be GC work started by that malloc (a channel, a
    // goroutine): a few hundred bytes. Everything else must be map storage the model knows.
    assert!(
        explained as f64 >= 0.999 * total as f64,
        "{go_dir}: {explained} of {total} map-internal bytes have a size the model lists"
    );
}

#[test]
fn swiss_allocation_sizes_cover_go126_profiles() {
    check("go1.26", 26);
}

#[test]
fn classic_allocation_sizes_cover_go123_profiles() {
    check("go1.23", 23);
}
