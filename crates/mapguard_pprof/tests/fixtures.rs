//! Attribution and decoding checked against real Go heap profiles (testdata/heap, made by
//! testdata/heap/gen.sh): per-sample-type totals against `go tool pprof -raw`, and map bytes per
//! line against the runtime's own full-stack records (truth.json).

#![allow(clippy::print_stderr)] // prints the attribution scores the report quotes

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use mapguard_pprof::attribute::{self, Options};
use mapguard_pprof::decode::{DEFAULT_MAX_BYTES, decode_heap};
use mapguard_pprof::{HeapProfile, MapSite, SampleKind, SiteKind, SiteTable};
use mapguard_runtime::types::Arch;
use mapguard_runtime::types::SourceTypes;
use mapguard_runtime::version::{GoVersion, MapImpl, Target};

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/heap")
}

fn load(rel: &str) -> HeapProfile {
    let data = std::fs::read(testdata().join(rel)).unwrap();
    decode_heap(&data, DEFAULT_MAX_BYTES).unwrap()
}

/// The `// mapsite: <kind> <type> <name>` markers of mapsprog/main.go as a site index.
fn marker_index() -> SiteTable {
    let src = std::fs::read_to_string(testdata().join("mapsprog/main.go")).unwrap();
    let mut table = SiteTable::new();
    for (n, line) in src.lines().enumerate() {
        let Some((_, marker)) = line.split_once("// mapsite: ") else {
            continue;
        };
        let mut words = marker.split_whitespace();
        let kind = match words.next().unwrap() {
            "make" => SiteKind::Make,
            "assign" => SiteKind::Assign,
            "clone" => SiteKind::Clone,
            _ => SiteKind::Other,
        };
        let map_type = words.next().map(str::to_owned);
        let name = words.next().map(str::to_owned);
        table.insert(
            "mapsprog/main.go",
            n as u32 + 1,
            MapSite {
                kind,
                map_type,
                name,
            },
        );
    }
    table.add_types(SourceTypes::parse(&src));
    table
}

#[derive(serde::Deserialize)]
struct Truth {
    line: u32,
    map_internal: bool,
    alloc_bytes: i64,
    inuse_bytes: i64,
}

/// Map-internal bytes per line, from the runtime's full stacks.
fn truth(version: &str, inuse: bool) -> BTreeMap<u32, i64> {
    let text =
        std::fs::read_to_string(testdata().join(format!("profiles/{version}/truth.json"))).unwrap();
    let records: Vec<Truth> = serde_json::from_str(&text).unwrap();
    let mut out = BTreeMap::new();
    for r in records.iter().filter(|r| r.map_internal) {
        *out.entry(r.line).or_default() += if inuse { r.inuse_bytes } else { r.alloc_bytes };
    }
    out
}

fn totals_file(rel: &str) -> Vec<i64> {
    let text = std::fs::read_to_string(testdata().join(format!("{rel}.totals"))).unwrap();
    let line = text.lines().find(|l| !l.starts_with('#')).unwrap();
    line.split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect()
}

#[test]
fn totals_equal_go_tool_pprof() {
    for version in ["go1.26", "go1.23"] {
        let mut files = vec![
            format!("profiles/{version}/heap.pb.gz"),
            format!("profiles/{version}/heap.txt.gz"),
        ];
        files.extend((1..=4).map(|n| format!("profiles/{version}/series/heap-{n}.pb.gz")));
        for rel in files {
            let p = load(&rel);
            let ours: Vec<i64> = SampleKind::ALL
                .iter()
                .map(|k| p.total(p.value_index(*k).unwrap()))
                .collect();
            assert_eq!(ours, totals_file(&rel), "{rel}");
        }
    }
}

/// Share of the runtime's map bytes that attribution put on the right line (recall), and share of
/// attributed map bytes that the runtime confirms (precision).
fn score(version: &str, rel: &str, sample: SampleKind) -> (f64, f64, MapImpl) {
    score_for(version, rel, sample, None)
}

fn score_for(
    version: &str,
    rel: &str,
    sample: SampleKind,
    target: Option<Target>,
) -> (f64, f64, MapImpl) {
    let index = marker_index();
    let p = load(rel);
    let att = attribute::attribute(
        &p,
        &Options {
            sample,
            target,
            index: Some(&index),
            entries: true,
        },
    )
    .unwrap();
    let mut ours: BTreeMap<u32, i64> = BTreeMap::new();
    for r in &att.maps {
        for s in &r.sites {
            if s.file.ends_with("mapsprog/main.go") {
                *ours.entry(s.line).or_default() += s.map.bytes;
            }
        }
    }
    let truth = truth(version, sample.is_inuse());
    let right: i64 = truth
        .iter()
        .map(|(line, &t)| t.min(ours.get(line).copied().unwrap_or(0)))
        .sum();
    let total_truth: i64 = truth.values().sum();
    let total_ours: i64 = ours.values().sum();
    assert!(total_truth > 0);
    (
        right as f64 / total_truth as f64,
        right as f64 / total_ours.max(1) as f64,
        att.target.map_impl,
    )
}

#[test]
fn map_bytes_land_on_the_right_lines() {
    for (version, map_impl) in [("go1.26", MapImpl::Swiss), ("go1.23", MapImpl::Classic)] {
        for format in ["heap.pb.gz", "heap.txt.gz"] {
            for sample in [SampleKind::InuseSpace, SampleKind::AllocSpace] {
                let rel = format!("profiles/{version}/{format}");
                let (recall, precision, inferred) = score(version, &rel, sample);
                eprintln!("{rel} {sample}: recall {recall:.4} precision {precision:.4}");
                assert!(recall >= 0.95, "{rel} {sample}: recall {recall}");
                assert!(precision >= 0.95, "{rel} {sample}: precision {precision}");
                assert_eq!(inferred, map_impl, "{rel}: inferred map implementation");
            }
        }
    }
}

/// The size check is what separates map memory from values stored on the same line: with the
/// wrong runtime's sizes, the Go 1.26 profile's map bytes are partly missed.
#[test]
fn wrong_runtime_sizes_miss_map_bytes() {
    let classic = Target::new(GoVersion::new(23), Arch::Amd64);
    let (recall, _, _) = score_for(
        "go1.26",
        "profiles/go1.26/heap.pb.gz",
        SampleKind::InuseSpace,
        Some(classic),
    );
    assert!(
        recall < 0.9,
        "recall with classic sizes on a Swiss profile: {recall}"
    );
}
