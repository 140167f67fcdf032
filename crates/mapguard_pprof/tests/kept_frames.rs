//! Profiles that keep runtime map frames (godeltaprof strips only `runtime.`, so on Go 1.24+ its
//! Swiss-map samples start at `internal/runtime/maps.*`; runtime-anchors.md §3.2): the frames
//! prove map memory without any source, and the site is the first user frame.

use mapguard_pprof::attribute::{self, Options, Role};
use mapguard_pprof::decode::{DEFAULT_MAX_BYTES, decode_heap, encode_gzip};
use mapguard_pprof::proto;
use mapguard_pprof::{MapSite, SampleKind, SiteKind, SiteTable};

/// A heap profile with two samples: a group array under `internal/runtime/maps.newarray` →
/// `runtime.mapassign_faststr` → `main.fill:12`, and a plain allocation at `main.other:20`.
fn profile() -> Vec<u8> {
    let strings: Vec<String> = [
        "",
        "alloc_objects",
        "count",
        "alloc_space",
        "bytes",
        "inuse_objects",
        "inuse_space",
        "internal/runtime/maps.newarray",
        "runtime.mapassign_faststr",
        "main.fill",
        "main.other",
        "/src/app/main.go",
        "/usr/local/go/src/internal/runtime/maps/runtime.go",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let vt = |t, u| proto::ValueType { r#type: t, unit: u };
    let function = |id, name| proto::Function {
        id,
        name,
        system_name: name,
        filename: if name >= 9 { 11 } else { 12 },
        start_line: 0,
    };
    let location = |id, function_id, line| proto::Location {
        id,
        mapping_id: 0,
        address: 0,
        line: vec![proto::Line {
            function_id,
            line,
            column: 0,
        }],
        is_folded: false,
    };
    let bytes_label = |n| proto::Label {
        key: 4,
        num: n,
        ..Default::default()
    };
    let p = proto::Profile {
        sample_type: vec![vt(1, 2), vt(3, 4), vt(5, 2), vt(6, 4)],
        sample: vec![
            proto::Sample {
                location_id: vec![1, 2, 3],
                value: vec![4, 4 * 27264, 2, 2 * 27264],
                label: vec![bytes_label(27264)],
            },
            proto::Sample {
                location_id: vec![4],
                value: vec![10, 480, 10, 480],
                label: vec![bytes_label(48)],
            },
        ],
        function: vec![
            function(1, 7),
            function(2, 8),
            function(3, 9),
            function(4, 10),
        ],
        location: vec![
            location(1, 1, 20),
            location(2, 2, 300),
            location(3, 3, 12),
            location(4, 4, 20),
        ],
        string_table: strings,
        period_type: Some(vt(4, 4)),
        period: 1,
        ..Default::default()
    };
    encode_gzip(&p)
}

#[test]
fn kept_runtime_map_frames_prove_map_memory_without_source() {
    let p = decode_heap(&profile(), DEFAULT_MAX_BYTES).unwrap();
    let att = attribute::attribute(
        &p,
        &Options {
            sample: SampleKind::InuseSpace,
            target: None,
            index: None,
            entries: true,
        },
    )
    .unwrap();
    assert_eq!(att.maps.len(), 1);
    let m = &att.maps[0];
    assert_eq!(m.via.as_deref(), Some("internal/runtime/maps.newarray"));
    assert_eq!(m.sites[0].line, 12);
    assert_eq!(m.sites[0].function, "main.fill");
    assert_eq!(m.map.bytes, 2 * 27264);
    // main.other is a user line that only source could classify.
    assert_eq!(att.unchecked.amount.bytes, 480);
    assert_eq!(att.unchecked.lines, 1);
    assert!(matches!(att.roles[0], Role::Map { .. }));
}

#[test]
fn with_source_the_type_names_the_part() {
    let p = decode_heap(&profile(), DEFAULT_MAX_BYTES).unwrap();
    let mut index = SiteTable::new();
    index.insert(
        "app/main.go",
        12,
        MapSite {
            kind: SiteKind::Assign,
            map_type: Some("map[string]int".to_owned()),
            name: None,
        },
    );
    let att = attribute::attribute(
        &p,
        &Options {
            sample: SampleKind::InuseSpace,
            target: None,
            index: Some(&index),
            entries: true,
        },
    )
    .unwrap();
    let m = &att.maps[0];
    assert_eq!(m.map_type.as_deref(), Some("map[string]int"));
    // 1024 slots of map[string]int: 128 groups × 200 B = 25,600 + 8 header → size class 27,264.
    assert_eq!(m.parts[0].label, "group array");
    // main.other:20 is not a map site.
    assert_eq!(att.unchecked.amount.bytes, 0);
    assert_eq!(att.map_total.bytes, 2 * 27264);
}
