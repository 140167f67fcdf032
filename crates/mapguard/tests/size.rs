//! End-to-end tests of `mapguard size`: output, bad input, and a live comparison with the Go on
//! PATH measuring real maps (testdata/mapsize/main.go).

use std::path::PathBuf;
use std::process::{Command, Output};

fn mapguard(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mapguard"))
        .arg("size")
        .args(args)
        .output()
        .expect("run mapguard")
}

fn json(args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let out = mapguard(&all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

fn testdata() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/mapsize")
}

#[test]
fn text_output_compares_classic_and_swiss() {
    let out = mapguard(&[
        "map[int64]int64",
        "-n",
        "1000",
        "--hint",
        "1000",
        "--deleted",
        "90%",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("go1.23 classic") && text.contains("go1.26 swiss"),
        "{text}"
    );
    assert!(
        text.contains("36,992 B"),
        "Swiss, 2 tables of 1024 slots: {text}"
    );
    assert!(text.contains("after deleting 90%"), "{text}");
    assert!(text.contains("after clear(m)"), "{text}");
    assert!(text.contains("growth (entries -> bytes)"), "{text}");
}

#[test]
fn json_output_has_every_figure() {
    let v = json(&[
        "map[string]int",
        "-n",
        "1_000_000",
        "--hint",
        "1e6",
        "--deleted",
        "0.5",
    ]);
    assert_eq!(v["entries"], 1_000_000);
    let models = v["models"].as_array().unwrap();
    assert_eq!(models.len(), 2);
    // runtime-anchors §8 golden values.
    assert_eq!(models[0]["implementation"], "classic");
    assert_eq!(models[0]["footprint"]["total"], 57_933_896);
    assert_eq!(models[1]["implementation"], "swiss");
    assert_eq!(models[1]["footprint"]["total"], 55_920_688);
    assert_eq!(models[1]["footprint"]["exact"], true);
    assert_eq!(models[1]["after_delete"]["deleted"], 500_000);
    assert_eq!(models[1]["after_reassign"]["total"], 48);
    let growth = models[0]["growth"].as_array().unwrap();
    assert_eq!(growth.len(), 2, "a big enough hint never grows: {growth:?}");
    assert_eq!(growth[0]["event"]["kind"], "preallocated");
    let unhinted = json(&["map[string]int", "-n", "1000", "--go", "1.23"]);
    let steps = unhinted["models"][0]["growth"].as_array().unwrap();
    let entries: Vec<u64> = steps
        .iter()
        .map(|s| s["entries"].as_u64().unwrap())
        .collect();
    assert_eq!(entries, [1, 9, 14, 27, 53, 105, 209, 417, 833, 1000]);
}

#[test]
fn go_flag_picks_one_model_and_noswissmap_is_classic() {
    let v = json(&["map[int64]int64", "-n", "0", "--go", "1.24+noswissmap"]);
    let models = v["models"].as_array().unwrap();
    assert_eq!(models.len(), 1);
    assert_eq!(models[0]["implementation"], "classic");
    assert_eq!(
        models[0]["footprint"]["total"], 64,
        "56-byte hmap in the 64-byte class"
    );
}

#[test]
fn arch_changes_sizes() {
    let v = json(&["map[string]int", "-n", "1", "--go", "1.26", "--arch", "386"]);
    assert_eq!(v["key"]["size"], 8);
    assert_eq!(v["models"][0]["slot_bytes"], 12);
}

#[test]
fn named_types_from_size_flags_and_go_files() {
    let v = json(
        &[
            "map[string]Session",
            "-n",
            "1000",
            "--hint",
            "1000",
            "--go",
            "1.26",
            "--types",
        ]
        .into_iter()
        .chain([testdata().join("main.go").to_str().unwrap()])
        .collect::<Vec<_>>(),
    );
    assert_eq!(v["value"]["size"], 64);
    assert_eq!(
        v["models"][0]["footprint"]["total"], 180_352,
        "measured in golden.tsv"
    );
    let v = json(&[
        "map[string]Blob",
        "-n",
        "10",
        "--size",
        "Blob=200:noptr",
        "--go",
        "1.26",
    ]);
    assert_eq!(v["value"]["out_of_line"], true);
    assert_eq!(v["models"][0]["footprint"]["out_of_line_values"], 10 * 208);
    let v = json(&[
        "map[int64]Big",
        "-n",
        "10",
        "--size",
        "Big=100",
        "--go",
        "1.26",
    ]);
    assert_eq!(v["models"][0]["pointer_value"]["type"], "map[int64]*Big");
    // map[int64]*Big, 10 entries: one 16-slot table (376 B) + 10 separate 112-byte values.
    let v = json(&[
        "map[int64]Big",
        "-n",
        "10",
        "--size",
        "Big=100",
        "--go",
        "1.26",
        "--deleted",
        "50%",
    ]);
    assert_eq!(v["models"][0]["pointer_value"]["total"], 376 + 10 * 112);
    assert_eq!(
        v["models"][0]["pointer_value"]["after_delete"],
        376 + 5 * 112
    );
}

/// Bad input: one line on stderr naming the input, exit code 2.
fn assert_bad(args: &[&str], mentions: &str) {
    let out = mapguard(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
    assert!(stderr.contains(mentions), "{args:?}: {stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn unparsable_type() {
    assert_bad(&["map[string", "-n", "1"], "cannot parse");
    assert_bad(&["[]int", "-n", "1"], "not a map type");
}

#[test]
fn unknown_named_type_without_size() {
    assert_bad(&["map[string]Session", "-n", "1"], "unknown type `Session`");
    assert_bad(
        &["map[string]pkg.Set[int]", "-n", "1"],
        "--size 'pkg.Set[int]=BYTES'",
    );
    let v = json(&[
        "map[string]pkg.Set[int]",
        "-n",
        "1",
        "--size",
        "pkg.Set[int]=8",
        "--go",
        "1.26",
    ]);
    assert_eq!(v["value"]["size"], 8);
}

#[test]
fn negative_or_absurd_entry_counts() {
    assert_bad(&["map[int]int", "-n", "-5"], "-n -5");
    assert_bad(&["map[int]int", "-n", "lots"], "-n");
    assert_bad(&["map[int]int", "-n", "1e30"], "-n 1e30");
    assert_bad(&["map[int]int", "-n", "1e15"], "address space");
    assert_bad(&["map[int]int", "-n", "3e9", "--arch", "386"], "int");
    assert_bad(&["map[int]int", "-n", "10", "--hint", "-1"], "--hint -1");
    assert_bad(&["map[int]int", "-n", "10", "--hint", "1e16"], "--hint");
}

#[test]
fn unknown_go_version_or_arch() {
    assert_bad(&["map[int]int", "-n", "1", "--go", "1.12"], "--go");
    assert_bad(&["map[int]int", "-n", "1", "--go", "latest"], "--go");
    assert_bad(
        &["map[int]int", "-n", "1", "--go", "1.26+noswissmap"],
        "noswissmap",
    );
    assert_bad(&["map[int]int", "-n", "1", "--arch", "riscv64"], "riscv64");
}

#[test]
fn bad_fractions_and_size_flags() {
    assert_bad(&["map[int]int", "-n", "1", "--deleted", "1.5"], "--deleted");
    assert_bad(&["map[int]T", "-n", "1", "--size", "T"], "--size");
    assert_bad(
        &["map[int]int", "-n", "1", "--types", "/nonexistent/x.go"],
        "/nonexistent/x.go",
    );
}

#[test]
fn a_broken_declaration_is_reported_and_the_rest_still_used() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("types.go");
    std::fs::write(
        &file,
        "package p\n\ntype Good struct{ a, b int64 }\n\ntype Bad struct { x [}\n",
    )
    .unwrap();
    let out = mapguard(&[
        "map[int]Good",
        "-n",
        "1",
        "--go",
        "1.26",
        "--types",
        file.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("types.go:5:"), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Good (16 B"));
}

/// Re-measures a handful of deterministic cases with the Go on PATH and compares them with the
/// model, so a runtime change in a new Go release shows up here.
#[test]
fn live_measurement_with_installed_go_matches() {
    let filter = r"^(map\[int64\]int64 (9 9|100000 100000)|map\[string\]int (1000 1000|500 -1)|map\[int64\]\[200\]byte 1000 1000|map\[int32\]int8 200 200) fill$";
    let out = Command::new("go")
        .args(["run", ".", "-runs", "5", "-cases", filter])
        .current_dir(testdata())
        .env("GOTOOLCHAIN", "local")
        .output()
        .expect("Go 1.26 must be on PATH for the live map-size test");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 6, "{text}");
    for line in lines {
        let f: Vec<&str> = line.split('\t').collect();
        let (ty, n, hint, go, arch) = (f[0], f[1], f[2], f[4], f[5]);
        let mut runs: Vec<u64> = f[6].split(',').map(|v| v.parse().unwrap()).collect();
        runs.sort_unstable();
        let mut args = vec![ty, "-n", n, "--go", go, "--arch", arch];
        if hint != "-1" {
            args.extend(["--hint", hint]);
        }
        let v = json(&args);
        let predicted = v["models"][0]["footprint"]["total"].as_u64().unwrap();
        // Unrelated runtime allocations only ever add bytes, so the smallest run is the map.
        assert_eq!(predicted, runs[0], "{line}");
    }
}
