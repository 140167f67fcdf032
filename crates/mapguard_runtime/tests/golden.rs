//! The model against real Go: testdata/mapsize/golden.tsv holds HeapAlloc deltas measured by
//! testdata/mapsize/main.go under Go 1.26 (Swiss), Go 1.23 (classic) and Go 1.24 with
//! GOEXPERIMENT=noswissmap (classic, larger hmap), on amd64, and Go 1.26 and 1.23 on 386; several
//! runs per case
//! (regenerate with testdata/mapsize/gen.sh).
//!
//! Deterministic cases (a hint, and the model reports an exact figure) must equal the measured
//! median; the others must be within 2% of it or inside the measured min–max.

use std::path::PathBuf;

use mapguard_runtime::map::MapModel;
use mapguard_runtime::types::{ChainResolver, SourceTypes, StdTypes, parse_type};
use mapguard_runtime::version::{GoVersion, MapImpl, Target};

struct Case {
    line: String,
    ty: String,
    n: u64,
    hint: Option<u64>,
    op: String,
    go: String,
    arch: String,
    runs: Vec<u64>,
}

fn testdata() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/mapsize")
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(testdata().join("golden.tsv")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(f.len(), 7, "{line}");
            let hint: i64 = f[2].parse().unwrap();
            let mut runs: Vec<u64> = f[6].split(',').map(|v| v.parse().unwrap()).collect();
            runs.sort_unstable();
            Case {
                line: line.to_owned(),
                ty: f[0].to_owned(),
                n: f[1].parse().unwrap(),
                hint: u64::try_from(hint).ok(),
                op: f[3].to_owned(),
                go: f[4].to_owned(),
                arch: f[5].to_owned(),
                runs,
            }
        })
        .collect()
}

/// (predicted, exact) for one case.
fn predict(case: &Case, types: &SourceTypes) -> (u64, bool) {
    let arch: mapguard_runtime::types::Arch = case.arch.parse().unwrap();
    let (target, classic) = if case.go.contains("noswissmap") {
        (Target::noswissmap(GoVersion::new(24), arch).unwrap(), true)
    } else if case.go.starts_with("go1.23") {
        (Target::new(GoVersion::new(23), arch), true)
    } else {
        (Target::new(GoVersion::new(26), arch), false)
    };
    let ty = parse_type(&case.ty).unwrap();
    let (key, value) = ty.as_map().unwrap();
    let resolver = ChainResolver::new().with(types).with(&StdTypes);
    let model = MapModel::for_types(key, value, target, &resolver).unwrap();
    let expected_impl = if classic {
        MapImpl::Classic
    } else {
        MapImpl::Swiss
    };
    assert_eq!(model.target.map_impl, expected_impl);
    let f = match case.op.as_str() {
        "fill" => model.footprint(case.n, case.hint),
        "delete90" => model.after_delete(case.n, case.hint, case.n * 9 / 10),
        "clear" => model.after_clear(case.n, case.hint),
        "reassign" => model.after_reassign(),
        other => panic!("unknown op {other}"),
    };
    (
        f.total(),
        f.exact && case.hint.is_some() && case.op == "fill",
    )
}

#[test]
fn golden_file_covers_both_runtimes() {
    let cases = cases();
    for (go, arch) in [
        ("go1.26", "amd64"),
        ("go1.23", "amd64"),
        ("X:noswissmap", "amd64"),
        ("go1.26", "386"),
        ("go1.23", "386"),
    ] {
        let count = cases
            .iter()
            .filter(|c| c.go.contains(go) && c.arch == arch)
            .count();
        assert!(count >= 40, "{go}/{arch}: only {count} cases");
        assert!(cases.iter().all(|c| c.runs.len() >= 5));
    }
}

#[test]
fn model_matches_measured_go_maps() {
    let types = SourceTypes::parse(&std::fs::read_to_string(testdata().join("main.go")).unwrap());
    assert!(types.errors.is_empty(), "{:?}", types.errors);
    let mut misses = Vec::new();
    let mut exact = 0;
    for case in cases() {
        let (predicted, deterministic) = predict(&case, &types);
        let median = case.runs[case.runs.len() / 2];
        let (min, max) = (case.runs[0], case.runs[case.runs.len() - 1]);
        let ok = if deterministic {
            exact += 1;
            predicted == median
        } else {
            let diff = (predicted as f64 - median as f64).abs() / median.max(1) as f64;
            diff <= 0.02 || (min..=max).contains(&predicted)
        };
        if !ok {
            misses.push(format!(
                "{}  predicted {predicted} (exact: {deterministic})",
                case.line
            ));
        }
    }
    assert!(
        misses.is_empty(),
        "{} misses:\n{}",
        misses.len(),
        misses.join("\n")
    );
    assert!(exact >= 30, "only {exact} deterministic cases");
}
