//! End-to-end tests of `mapguard gc` on the ground-truth fixtures (testdata/gc/generate.sh) and on
//! bad input made from them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/gc/fixtures")
}

fn fixture(path: &str) -> PathBuf {
    fixtures().join(path)
}

fn mapguard(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mapguard"))
        .arg("gc")
        .args(args)
        .output()
        .unwrap()
}

fn json(args: &[&str]) -> (Value, Output) {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let out = mapguard(&all);
    let value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (value, out)
}

fn truth(run: &str) -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(fixture(&format!("{run}/memstats.json"))).unwrap(),
    )
    .unwrap()
}

/// A scratch file in the system temp folder, unique to this test process.
fn scratch(name: &str, content: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mapguard-gc-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const RUNS: [&str; 6] = [
    "steady-gogc50",
    "steady-gogc100",
    "steady-gogc200",
    "leak-gogc50",
    "leak-gogc100",
    "leak-gogc200",
];

#[test]
fn verdicts_on_every_gctrace_fixture_are_right() {
    for run in RUNS {
        let log = fixture(&format!("{run}/gctrace.log"));
        let (v, out) = json(&[s(&log)]);
        assert_eq!(out.status.code(), Some(0), "{run}: {}", stderr(&out));
        let verdict = &v["inputs"][0]["report"]["verdict"];
        let want = if run.starts_with("leak") {
            "leak"
        } else {
            "no_leak"
        };
        assert_eq!(verdict["kind"], want, "{run}: {verdict}");
    }
}

#[test]
fn verdicts_on_expvar_and_prometheus_series_are_right() {
    for (path, want) in [
        ("steady-gogc100/vars.jsonl", "no_leak"),
        ("steady-gogc100/metrics.prom", "no_leak"),
        ("leak-gogc50/vars", "leak"),
        ("leak-gogc50/metrics", "leak"),
    ] {
        let (v, out) = json(&[s(&fixture(path))]);
        assert_eq!(out.status.code(), Some(0), "{path}: {}", stderr(&out));
        assert_eq!(v["inputs"][0]["report"]["verdict"]["kind"], want, "{path}");
    }
    let (v, _) = json(&[s(&fixture("leak-gogc50/metrics"))]);
    assert_eq!(
        v["inputs"][0]["report"]["segments"][0]["heap_measure"],
        "live_heap"
    );
    let (v, _) = json(&[s(&fixture("leak-gogc50/vars"))]);
    assert_eq!(
        v["inputs"][0]["report"]["segments"][0]["heap_measure"],
        "heap_goal"
    );
}

#[test]
fn json_report_agrees_with_memstats() {
    let run = "steady-gogc100";
    let t = truth(run);
    let num_gc = t["NumGC"].as_u64().unwrap();
    let (v, _) = json(&[s(&fixture(&format!("{run}/gctrace.log")))]);
    let report = &v["inputs"][0]["report"];
    assert_eq!(v["schema_version"], 1);
    assert_eq!(report["source"], "gctrace");
    let seg = &report["segments"][0];
    assert_eq!(seg["gc_cycles"].as_u64(), Some(num_gc));
    assert_eq!(seg["pauses"]["count"].as_u64(), Some(num_gc));
    let total = t["PauseTotalNs"].as_f64().unwrap() / 1e9;
    let got = seg["pauses"]["total_secs"].as_f64().unwrap();
    assert!((got - total).abs() < total * 0.1, "{got} vs {total}");
    let (v, _) = json(&[s(&fixture(&format!("{run}/vars.jsonl")))]);
    let seg = &v["inputs"][0]["report"]["segments"][0];
    let max = t["PausesNs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap())
        .max()
        .unwrap();
    assert_eq!(seg["pauses"]["max_secs"].as_f64(), Some(max as f64 / 1e9));
    assert!(seg["memstats_model"]["live_objects_delta"].is_i64());
}

#[test]
fn fail_on_leak_exits_1_only_for_a_leak() {
    let leak = fixture("leak-gogc100/gctrace.log");
    let steady = fixture("steady-gogc100/gctrace.log");
    assert_eq!(
        mapguard(&["--fail-on-leak", s(&leak)]).status.code(),
        Some(1)
    );
    assert_eq!(
        mapguard(&["--fail-on-leak", s(&steady)]).status.code(),
        Some(0)
    );
    assert_eq!(mapguard(&[s(&leak)]).status.code(), Some(0));
}

#[test]
fn text_summary_has_verdict_sparkline_and_pauses() {
    let out = mapguard(&[s(&fixture("leak-gogc100/gctrace.log"))]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("verdict   LEAK"), "{text}");
    assert!(text.contains("live heap ▁"), "{text}");
    assert!(text.contains("pauses    79 STW: p50 "), "{text}");
    assert!(text.contains("GC CPU"), "{text}");
}

#[test]
fn plot_writes_an_svg_with_both_panels() {
    let out_path =
        std::env::temp_dir().join(format!("mapguard-gc-plot-{}.svg", std::process::id()));
    let out = mapguard(&[
        "--plot",
        s(&out_path),
        s(&fixture("leak-gogc50/gctrace.log")),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let svg = std::fs::read_to_string(&out_path).unwrap();
    assert!(svg.starts_with("<svg"), "{}", &svg[..100]);
    assert!(svg.contains("live heap after GC") && svg.contains("heap goal"));
    assert!(svg.contains("stop-the-world pauses"));
    assert!(svg.matches("<rect").count() > 10, "heat map cells");
    std::fs::remove_file(out_path).unwrap();
}

#[test]
fn stdin_is_read_with_a_dash() {
    let log = std::fs::read(fixture("leak-gogc200/gctrace.log")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_mapguard"))
        .args(["gc", "--format", "json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), &log).unwrap();
    let out = child.wait_with_output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["inputs"][0]["report"]["verdict"]["kind"], "leak");
}

// ---- bad input -------------------------------------------------------------------------------

#[test]
fn empty_input_is_one_line_and_exit_2() {
    let empty = scratch("empty.log", b"");
    let out = mapguard(&[s(&empty)]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("empty.log: input is empty"), "{err}");
}

#[test]
fn binary_input_is_one_line_and_exit_2() {
    let bin = std::fs::read(env!("CARGO_BIN_EXE_mapguard")).unwrap();
    let path = scratch("binary.log", &bin[..4096]);
    let out = mapguard(&[s(&path)]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("binary.log: input is binary data"), "{err}");
}

#[test]
fn a_log_without_gc_lines_is_one_line_and_exit_2_and_other_inputs_still_run() {
    let text = "starting service\nlistening on :8080\nscvg: 0 MB released\n";
    let path = scratch("nogc.log", text.as_bytes());
    let good = fixture("steady-gogc200/gctrace.log");
    let out = mapguard(&[s(&path), s(&good)]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("nogc.log: no gctrace lines") && err.contains("in 3 lines"),
        "{err}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("steady-gogc200/gctrace.log (gctrace"));
}

#[test]
fn cut_lines_are_kept_in_part_or_rejoined_and_stated() {
    let log = std::fs::read_to_string(fixture("leak-gogc100/gctrace.log")).unwrap();
    let mut lines: Vec<String> = log.lines().map(str::to_owned).collect();
    let gc_lines: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].starts_with("gc "))
        .collect();
    // A record split by application output: the rest follows on the next line.
    let split_at = gc_lines[10];
    let line = lines[split_at].clone();
    // The runtime writes a gc line piece by piece; here another line landed after "… MB, ".
    let cut = line.find(" MB, ").unwrap() + 5;
    lines[split_at] = format!("{}12:00:00.000000 served 1 requests", &line[..cut]);
    lines.insert(split_at + 1, line[cut..].to_owned());
    // A record cut off for good in the middle, and the file ending mid-line.
    let cut_for_good = gc_lines[20] + 1;
    let keep = lines[cut_for_good].find("ms cpu").unwrap();
    lines[cut_for_good].truncate(keep);
    let mut text = lines.join("\n");
    text.truncate(text.rfind(" MB goal").unwrap());
    let path = scratch("cut.log", text.as_bytes());
    let (v, out) = json(&[s(&path)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = &v["inputs"][0]["report"];
    assert_eq!(report["samples"].as_u64(), Some(gc_lines.len() as u64));
    let notes: Vec<&str> = report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["message"].as_str().unwrap())
        .collect();
    assert_eq!(notes.len(), 3, "{notes:?}");
    assert!(
        notes[0].contains("split by other output; rejoined"),
        "{notes:?}"
    );
    assert!(
        notes[1].contains("cut short") && notes[1].contains("missing heap sizes"),
        "{notes:?}"
    );
    assert!(notes[2].contains("cut short"), "{notes:?}");
    assert_eq!(report["verdict"]["kind"], "leak");
}

#[test]
fn a_clock_going_backwards_is_stated_and_clamped() {
    let log = std::fs::read_to_string(fixture("steady-gogc100/gctrace.log")).unwrap();
    let mut seen = 0;
    let text: Vec<String> = log
        .lines()
        .map(|l| {
            if l.starts_with("gc ") {
                seen += 1;
                if seen == 50 {
                    let at = l.find(" @").unwrap();
                    let end = l[at..].find("s ").unwrap() + at;
                    return format!("{} @0.001{}", &l[..at], &l[end..]);
                }
            }
            l.to_owned()
        })
        .collect();
    let path = scratch("clock.log", text.join("\n").as_bytes());
    let (v, out) = json(&[s(&path)]);
    assert_eq!(out.status.code(), Some(0));
    let report = &v["inputs"][0]["report"];
    assert_eq!(report["segments"].as_array().unwrap().len(), 1);
    let notes = report["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0]["message"]
            .as_str()
            .unwrap()
            .contains("clock went backwards (0.001 s after"),
        "{notes:?}"
    );
    assert_eq!(report["verdict"]["kind"], "no_leak");
}

#[test]
fn a_counter_reset_splits_the_series() {
    let mut text = std::fs::read(fixture("steady-gogc100/gctrace.log")).unwrap();
    text.extend(std::fs::read(fixture("leak-gogc100/gctrace.log")).unwrap());
    let path = scratch("restart.log", &text);
    let (v, out) = json(&[s(&path)]);
    assert_eq!(out.status.code(), Some(0));
    let report = &v["inputs"][0]["report"];
    let segments = report["segments"].as_array().unwrap();
    assert_eq!(segments.len(), 2);
    assert_eq!(segments[0]["verdict"]["kind"], "no_leak");
    assert_eq!(segments[1]["verdict"]["kind"], "leak");
    assert_eq!(report["verdict"]["kind"], "leak");
    let note = report["notes"][0]["message"].as_str().unwrap();
    assert!(
        note.contains("counters reset (GC count went from 95 to 1)") && note.contains("split"),
        "{note}"
    );

    // The same for Prometheus scrapes: two runs' scrapes in one folder.
    let dir = std::env::temp_dir().join(format!("mapguard-gc-test-{}-prom", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(fixture("steady-gogc100/metrics.prom"), dir.join("a.prom")).unwrap();
    std::fs::copy(fixture("leak-gogc50/metrics/0003.prom"), dir.join("b.prom")).unwrap();
    let (v, _) = json(&[s(&dir)]);
    let report = &v["inputs"][0]["report"];
    assert_eq!(report["segments"].as_array().unwrap().len(), 2, "{report}");
}

#[test]
fn a_forced_format_that_does_not_match_is_exit_2() {
    let out = mapguard(&[
        "--input-format",
        "expvar",
        s(&fixture("steady-gogc50/gctrace.log")),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no expvar memstats documents found"),
        "{}",
        stderr(&out)
    );
}
