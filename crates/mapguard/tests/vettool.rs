//! `go vet -vettool=mapguard` with the real go command: the findings equal `mapguard check`'s
//! on the same module; and the protocol pieces (`-flags`, `-V=full`, vet.cfg units) directly.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_mapguard");

fn module() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/vettool")
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(program: &str, args: &[&str], dir: &Path) -> Run {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env_remove("GOOS")
        .env_remove("GOARCH")
        .env_remove("GOFLAGS")
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|e| panic!("{program} runs: {e}"));
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn go_vet(extra: &[&str]) -> Run {
    let tool = format!("-vettool={BIN}");
    let mut args = vec!["vet", tool.as_str()];
    args.extend_from_slice(extra);
    args.push("./...");
    run("go", &args, &module())
}

/// `path:line:col: CODE message` lines go vet printed (package headers and related lines dropped).
fn vet_findings(stderr: &str) -> BTreeSet<String> {
    stderr
        .lines()
        .filter(|l| {
            l.split(": ")
                .nth(1)
                .is_some_and(|m| m.starts_with("MG") && !l.starts_with('#'))
        })
        .map(str::to_string)
        .collect()
}

fn check_findings(dir: &Path) -> BTreeSet<String> {
    let out = run(BIN, &["check", "./...", "--format", "json"], dir);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{}: {} {}",
                d["location"]["path"].as_str().unwrap(),
                d["location"]["start"]["line"],
                d["location"]["start"]["column"],
                d["code"].as_str().unwrap(),
                d["message"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn go_vet_reports_what_check_reports() {
    let vet = go_vet(&[]);
    assert_eq!(vet.code, 1, "go vet fails on findings:\n{}", vet.stderr);
    let vetted = vet_findings(&vet.stderr);
    let checked = check_findings(&module());
    assert_eq!(vetted, checked, "go vet stderr:\n{}", vet.stderr);
    // The value type of app.byID lives in package store: the unit's imports were indexed.
    assert!(
        vetted
            .iter()
            .any(|f| f.starts_with("app/app.go:26:12: MG401 map[int]store.Entry")),
        "{vetted:#?}"
    );
    // mapguard.toml turns MG402 off; the windows file is not built on linux; the suppression holds.
    assert!(!vetted.iter().any(|f| f.contains("MG402")));
    assert!(!vetted.iter().any(|f| f.contains("windows")));
    assert!(!vetted.iter().any(|f| f.contains("quiet")));
    // Internal and external test files are vetted too.
    assert!(
        vetted
            .iter()
            .any(|f| f.starts_with("store/external_test.go:"))
    );
    // Related locations follow their finding, tab-indented, as go vet prints them.
    assert!(
        vet.stderr.contains("store/store.go:32:5: \tdeclared here"),
        "{}",
        vet.stderr
    );
}

#[test]
fn go_vet_json_is_the_unitchecker_tree() {
    let vet = go_vet(&["-json"]);
    assert_eq!(vet.code, 0, "{}", vet.stderr);
    let mut posns = BTreeSet::new();
    for value in serde_json::Deserializer::from_str(&vet.stdout).into_iter::<serde_json::Value>() {
        let value = value.unwrap();
        for (unit, analyzers) in value.as_object().unwrap() {
            assert!(unit.starts_with("example.com/vettool/"), "{unit}");
            for (analyzer, diagnostics) in analyzers.as_object().unwrap() {
                assert!(mapguard_rule_name(analyzer), "{analyzer}");
                for d in diagnostics.as_array().unwrap() {
                    let posn = d["posn"].as_str().unwrap();
                    assert!(Path::new(posn.split(':').next().unwrap()).is_absolute());
                    assert!(
                        d["message"]
                            .as_str()
                            .unwrap()
                            .starts_with(d["category"].as_str().unwrap())
                    );
                    posns.insert(posn.rsplit('/').next().unwrap().to_string());
                }
            }
        }
    }
    let checked: BTreeSet<String> = check_findings(&module())
        .iter()
        .map(|f| {
            let location = f.split(": ").next().unwrap();
            location.rsplit('/').next().unwrap().to_string()
        })
        .collect();
    assert_eq!(posns, checked);
}

fn mapguard_rule_name(name: &str) -> bool {
    let out = run(BIN, &["rules"], &module());
    out.stdout.contains(name)
}

#[test]
fn go_vet_forwards_the_select_flag() {
    let vet = go_vet(&["-select=MG301"]);
    assert_eq!(vet.code, 1, "{}", vet.stderr);
    let vetted = vet_findings(&vet.stderr);
    assert_eq!(vetted.len(), 2, "{vetted:#?}");
    assert!(vetted.iter().all(|f| f.contains(": MG301 ")));
}

#[test]
fn flags_and_version_handshake() {
    let flags = run(BIN, &["-flags"], &module());
    assert_eq!(flags.code, 0);
    let list: Vec<serde_json::Value> = serde_json::from_str(&flags.stdout).unwrap();
    let names: Vec<&str> = list.iter().map(|f| f["Name"].as_str().unwrap()).collect();
    assert!(names.contains(&"json") && names.contains(&"c"), "{names:?}");
    assert!(
        list.iter()
            .all(|f| f["Bool"].is_boolean() && f["Usage"].is_string())
    );

    let version = run(BIN, &["-V=full"], &module());
    assert_eq!(version.code, 0);
    let fields: Vec<&str> = version.stdout.split_whitespace().collect();
    assert_eq!(fields[1], "version");
    assert_eq!(fields[2], "devel");
    let id = fields.last().unwrap().strip_prefix("buildID=").unwrap();
    assert_eq!(id.len(), 64);
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
    // The ID is the executable's content hash: stable across runs.
    assert_eq!(run(BIN, &["-V=full"], &module()).stdout, version.stdout);
}

fn write_cfg(dir: &Path, body: &serde_json::Value) -> PathBuf {
    let path = dir.join("vet.cfg");
    std::fs::write(&path, serde_json::to_vec_pretty(body).unwrap()).unwrap();
    path
}

fn store_files() -> Vec<String> {
    let dir = module().join("store").canonicalize().unwrap();
    ["store.go", "store_test.go"]
        .iter()
        .map(|f| dir.join(f).to_string_lossy().into_owned())
        .collect()
}

#[test]
fn a_unit_run_directly_in_plain_and_json_modes() {
    let work = tempfile::tempdir().unwrap();
    let stdout_file = work.path().join("vet.stdout");
    let vetx = work.path().join("vet.out");
    let cfg = write_cfg(
        work.path(),
        &serde_json::json!({
            "ID": "example.com/vettool/store [example.com/vettool/store.test]",
            "Dir": module().join("store"),
            "ImportPath": "example.com/vettool/store",
            "GoFiles": store_files(),
            "VetxOnly": false,
            "VetxOutput": vetx,
            "GoVersion": "go1.22",
        }),
    );
    let cfg = cfg.to_str().unwrap();
    let plain = run(BIN, &["-c=0", cfg], &module().join("store"));
    assert_eq!(plain.code, 1, "{}", plain.stderr);
    let first = plain.stderr.lines().next().unwrap();
    assert!(
        first.starts_with('/') && first.contains("/store/store.go:15:10: MG401 "),
        "{}",
        plain.stderr
    );
    assert!(
        plain.stderr.contains("\n15\t\tbyKey   map[string]Entry\n"),
        "{}",
        plain.stderr
    );
    assert_eq!(std::fs::read(&vetx).unwrap(), b"");

    let cfg_json = write_cfg(
        work.path(),
        &serde_json::json!({
            "ID": "example.com/vettool/store",
            "GoFiles": store_files(),
            "VetxOutput": vetx,
            "Stdout": stdout_file,
        }),
    );
    let json = run(BIN, &["-json", cfg_json.to_str().unwrap()], &module());
    assert_eq!(json.code, 0, "{}", json.stderr);
    assert!(json.stdout.is_empty() && json.stderr.is_empty());
    let tree: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&stdout_file).unwrap()).unwrap();
    let unit = &tree["example.com/vettool/store"];
    assert_eq!(unit["unbounded-field-map"][0]["category"], "MG202");
    let fix = &unit["map-cleared-by-delete-loop"][0]["suggested_fixes"][0];
    assert!(
        fix["edits"][0]["new"]
            .as_str()
            .unwrap()
            .contains("clear(m)"),
        "{fix}"
    );
}

#[test]
fn facts_only_units_exit_at_once() {
    let work = tempfile::tempdir().unwrap();
    let vetx = work.path().join("vet.out");
    let stdout_file = work.path().join("vet.stdout");
    let cfg = write_cfg(
        work.path(),
        &serde_json::json!({
            "ID": "fmt",
            "GoFiles": ["/nonexistent/fmt/print.go"],
            "VetxOnly": true,
            "VetxOutput": vetx,
            "Stdout": stdout_file,
        }),
    );
    let out = run(BIN, &["-json", cfg.to_str().unwrap()], work.path());
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    assert_eq!(std::fs::read(&vetx).unwrap(), b"");
    assert_eq!(std::fs::read(&stdout_file).unwrap(), b"");
}

#[test]
fn malformed_configs_give_one_line_and_exit_2() {
    let work = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 4] = [
        (
            "truncated.cfg",
            b"{\"GoFiles\": [",
            "invalid vet config JSON at line 1",
        ),
        ("empty.cfg", b"{\"ImportPath\": \"p\"}", "names no Go files"),
        (
            "relative.cfg",
            b"{\"GoFiles\": [\"a.go\"]}",
            "not an absolute path",
        ),
        ("binary.cfg", b"\x00\xff\xfe", "invalid vet config JSON"),
    ];
    for (name, bytes, expected) in cases {
        let path = work.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = run(BIN, &[path.to_str().unwrap()], work.path());
        assert_eq!(out.code, 2, "{name}: {}", out.stderr);
        assert_eq!(out.stderr.lines().count(), 1, "{name}: {}", out.stderr);
        assert!(
            out.stderr.contains(path.to_str().unwrap()),
            "{}",
            out.stderr
        );
        assert!(out.stderr.contains(expected), "{name}: {}", out.stderr);
    }
    let missing = work.path().join("missing.cfg");
    let out = run(BIN, &[missing.to_str().unwrap()], work.path());
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .starts_with(&format!("mapguard: {}: ", missing.display()))
    );
}

#[test]
fn a_unit_with_an_unreadable_file_reports_it() {
    let work = tempfile::tempdir().unwrap();
    std::fs::write(
        work.path().join("go.mod"),
        "module example.com/x\n\ngo 1.22\n",
    )
    .unwrap();
    let bad = work.path().join("bad.go");
    std::fs::write(&bad, b"package x\n\nvar s = \"\xff\"\n").unwrap();
    let cfg = write_cfg(
        work.path(),
        &serde_json::json!({"ID": "x", "GoFiles": [bad]}),
    );
    let out = run(BIN, &[cfg.to_str().unwrap()], work.path());
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("bad.go: invalid UTF-8 at byte"),
        "{}",
        out.stderr
    );
}
