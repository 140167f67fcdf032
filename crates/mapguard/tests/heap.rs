//! End-to-end tests of `mapguard heap` on real Go heap profiles (testdata/heap, made by
//! testdata/heap/gen.sh with MemProfileRate = 1 under Go 1.26 and Go 1.23).

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/heap")
}

fn profile(rel: &str) -> String {
    testdata()
        .join("profiles")
        .join(rel)
        .to_string_lossy()
        .into_owned()
}

fn mapguard(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mapguard"))
        .arg("heap")
        .args(args)
        .output()
        .unwrap()
}

fn json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let out = mapguard(&all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn source() -> String {
    testdata().to_string_lossy().into_owned()
}

/// The map reports of the newest profile, keyed by `line`.
fn maps_by_line(report: &serde_json::Value) -> Vec<(u64, String, i64, i64)> {
    let profiles = report["profiles"].as_array().unwrap();
    let att = &profiles.last().unwrap()["attribution"];
    att["maps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["sites"][0]["line"].as_u64().unwrap(),
                m["map_type"].as_str().unwrap_or("?").to_owned(),
                m["map"]["bytes"].as_i64().unwrap(),
                m["values"]["bytes"].as_i64().unwrap(),
            )
        })
        .collect()
}

/// The line of the `// mapsite: <kind> ... <name>` marker.
fn marker_line(kind: &str, name: &str) -> u64 {
    let src = std::fs::read_to_string(testdata().join("mapsprog/main.go")).unwrap();
    let needle = format!("// mapsite: {kind} ");
    src.lines()
        .position(|l| l.contains(&needle) && l.ends_with(&format!(" {name}")))
        .map(|i| i as u64 + 1)
        .unwrap()
}

fn one_line_error(out: &Output, input_fragment: &str, problem: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "stderr: {stderr}");
    assert!(stderr.contains(input_fragment), "stderr: {stderr}");
    assert!(stderr.contains(problem), "stderr: {stderr}");
}

#[test]
fn attributes_map_memory_to_lines_and_types_with_source() {
    for version in ["go1.26", "go1.23"] {
        let report = json(&[
            &profile(&format!("{version}/heap.pb.gz")),
            "--source",
            &source(),
        ]);
        let maps = maps_by_line(&report);
        let find = |line: u64| {
            maps.iter()
                .find(|m| m.0 == line)
                .unwrap_or_else(|| panic!("{version}: no map at line {line}: {maps:?}"))
        };
        // The leaking session map: map structure on the write line, the []byte values beside it.
        let sessions = find(marker_line("assign", "sessions"));
        assert_eq!(sessions.1, "map[string][]byte");
        assert!(sessions.2 > 1_000_000, "{version}: {sessions:?}");
        assert!(sessions.3 >= 960_000, "{version}: values {sessions:?}"); // 20000 × 48 B
        let by_name = find(marker_line("assign", "byName"));
        assert_eq!(by_name.1, "map[string]int");
        assert!(by_name.2 > 850_000, "{version}: {by_name:?}");
        assert_eq!(by_name.3, 0);
        // The hinted map allocates its storage at make.
        let by_id = find(marker_line("make", "byID"));
        assert_eq!(by_id.1, "map[int64]int64");
        assert!(by_id.2 > 140_000, "{version}: {by_id:?}");
        // Out-of-line [200]byte values: 500 × 208 B.
        let blobs = find(marker_line("assign", "blobs"));
        assert!(blobs.2 >= 104_000, "{version}: {blobs:?}");
        assert_eq!(find(marker_line("clone", "cloned")).1, "map[string]int");
        // The leading map takes the first row.
        assert_eq!(maps[0].0, marker_line("assign", "sessions"));
        let target = report["profiles"][0]["attribution"]["target"]
            .as_str()
            .unwrap();
        let expected = if version == "go1.26" {
            "swiss"
        } else {
            "classic"
        };
        assert!(target.contains(expected), "{version}: {target}");
    }
}

#[test]
fn legacy_text_and_proto_agree() {
    for version in ["go1.26", "go1.23"] {
        let proto = maps_by_line(&json(&[
            &profile(&format!("{version}/heap.pb.gz")),
            "--source",
            &source(),
        ]));
        let text = maps_by_line(&json(&[
            &profile(&format!("{version}/heap.txt.gz")),
            "--source",
            &source(),
        ]));
        let mut a = proto.clone();
        let mut b = text.clone();
        a.sort();
        b.sort();
        assert_eq!(a, b, "{version}");
    }
}

#[test]
fn without_source_says_what_was_not_attributed() {
    let out = mapguard(&[&profile("go1.26/heap.pb.gz")]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("not attributed: without --source"),
        "{stdout}"
    );
    // reflect- and maps.Clone-driven maps are still found from the stack alone.
    assert!(stdout.contains("via maps.clone"), "{stdout}");
    assert!(
        stdout.contains("via reflect.mapassign_faststr0"),
        "{stdout}"
    );
    let report = json(&[&profile("go1.26/heap.pb.gz")]);
    let unchecked = &report["profiles"][0]["attribution"]["unchecked"];
    assert!(unchecked["amount"]["bytes"].as_i64().unwrap() > 1_000_000);
    assert!(unchecked["lines"].as_u64().unwrap() > 5);
}

#[test]
fn series_flags_the_leaking_map_only() {
    for version in ["go1.26", "go1.23"] {
        let dir = profile(&format!("{version}/series"));
        let report = json(&[&dir, "--source", &source()]);
        let trends = report["comparison"]["trends"].as_array().unwrap();
        let suspects: Vec<_> = trends
            .iter()
            .filter(|t| t["verdict"] == "leak_suspect")
            .collect();
        assert_eq!(suspects.len(), 1, "{version}: {suspects:?}");
        let s = suspects[0];
        assert_eq!(
            s["sites"][0]["line"].as_u64().unwrap(),
            marker_line("assign", "sessions")
        );
        assert_eq!(s["map_type"], "map[string][]byte");
        assert_eq!(s["evidence"]["monotonic"], true);
        assert_eq!(s["evidence"]["profiles"], 4);
        assert!(s["evidence"]["share_of_heap"].as_f64().unwrap() > 0.1);
        assert!(s["slope_per_second"].as_f64().unwrap() > 0.0);
        // Profiles are ordered by their collection time.
        let times: Vec<i64> = report["comparison"]["profiles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["time_nanos"].as_i64().unwrap())
            .collect();
        assert!(times.windows(2).all(|w| w[0] < w[1]), "{times:?}");

        let fail = mapguard(&[&dir, "--source", &source(), "--fail-on-leak"]);
        assert_eq!(fail.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&fail.stdout).contains("LEAK SUSPECT"));
    }
}

#[test]
fn series_given_newest_first_is_reordered_by_time() {
    let files: Vec<String> = (1..=4)
        .rev()
        .map(|n| profile(&format!("go1.26/series/heap-{n}.pb.gz")))
        .collect();
    let mut args: Vec<&str> = files.iter().map(String::as_str).collect();
    let src = source();
    args.extend(["--source", &src]);
    let report = json(&args);
    let labels: Vec<&str> = report["comparison"]["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["label"].as_str().unwrap())
        .collect();
    assert!(
        labels[0].ends_with("heap-1.pb.gz") && labels[3].ends_with("heap-4.pb.gz"),
        "{labels:?}"
    );
}

#[test]
fn base_diff_reports_growth_without_a_leak_verdict() {
    let report = json(&[
        "--base",
        &profile("go1.26/series/heap-1.pb.gz"),
        &profile("go1.26/series/heap-4.pb.gz"),
        "--source",
        &source(),
    ]);
    let trends = report["comparison"]["trends"].as_array().unwrap();
    let top = &trends[0];
    assert_eq!(
        top["sites"][0]["line"].as_u64().unwrap(),
        marker_line("assign", "sessions")
    );
    assert_eq!(top["verdict"], "grew");
    assert!(top["growth"].as_i64().unwrap() > 500_000);
    assert!(trends.iter().all(|t| t["verdict"] != "leak_suspect"));
}

#[test]
fn reads_stdin() {
    let data = std::fs::read(profile("go1.26/heap.pb.gz")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_mapguard"))
        .args(["heap", "-", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&data).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["profiles"][0]["input"], "<stdin>");
}

#[test]
fn sample_types_change_the_ranking_values() {
    let inuse = json(&[&profile("go1.26/heap.pb.gz"), "--sample", "inuse_space"]);
    let alloc = json(&[&profile("go1.26/heap.pb.gz"), "--sample", "alloc_objects"]);
    let total = |r: &serde_json::Value| {
        r["profiles"][0]["attribution"]["total"]["bytes"]
            .as_i64()
            .unwrap()
    };
    // Totals as `go tool pprof -raw` reads them (profiles/go1.26/heap.pb.gz.totals).
    let expected = std::fs::read_to_string(profile("go1.26/heap.pb.gz.totals")).unwrap();
    let numbers: Vec<i64> = expected
        .lines()
        .last()
        .unwrap()
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect();
    assert_eq!(total(&inuse), numbers[3]);
    assert_eq!(total(&alloc), numbers[1]);
    assert_eq!(
        alloc["profiles"][0]["attribution"]["total"]["objects"]
            .as_i64()
            .unwrap(),
        numbers[0]
    );
}

#[test]
fn emitted_pprof_opens_in_go_tool_pprof_with_the_map_total() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("maps.pb.gz");
    let svg = dir.path().join("maps.svg");
    let report = json(&[
        &profile("go1.26/heap.pb.gz"),
        "--source",
        &source(),
        "--emit-pprof",
        out_path.to_str().unwrap(),
        "--flamegraph",
        svg.to_str().unwrap(),
    ]);
    let map_bytes = report["profiles"][0]["attribution"]["map_total"]["bytes"]
        .as_i64()
        .unwrap();
    let raw = Command::new("go")
        .args(["tool", "pprof", "-raw", out_path.to_str().unwrap()])
        .output()
        .expect("go on PATH");
    assert!(
        raw.status.success(),
        "{}",
        String::from_utf8_lossy(&raw.stderr)
    );
    let text = String::from_utf8_lossy(&raw.stdout);
    // Sum the inuse_space column of the sample rows, as gen.sh does.
    let header = text
        .lines()
        .skip_while(|l| !l.starts_with("Samples:"))
        .nth(1)
        .unwrap();
    let column = header
        .split_whitespace()
        .position(|c| c.trim_end_matches("[dflt]") == "inuse_space/bytes")
        .unwrap();
    let mut sum = 0i64;
    let mut in_samples = false;
    for line in text.lines() {
        if line.starts_with("Samples:") {
            in_samples = true;
            continue;
        }
        if line.starts_with("Locations") {
            break;
        }
        if in_samples && let Some((values, _)) = line.split_once(':') {
            let v: Vec<&str> = values.split_whitespace().collect();
            if let Some(n) = v.get(column).and_then(|n| n.parse::<i64>().ok()) {
                sum += n;
            }
        }
    }
    assert_eq!(sum, map_bytes);
    assert!(text.contains("map_type:[map[string][]byte]"), "{text}");
    let svg = std::fs::read_to_string(svg).unwrap();
    assert!(svg.starts_with("<?xml") && svg.contains("map[string][]byte group array"));
}

// ---- bad input: one line naming the input and the problem, exit 2 ----

#[test]
fn truncated_gzip() {
    let data = std::fs::read(profile("go1.26/heap.pb.gz")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("truncated.pb.gz");
    std::fs::write(&path, &data[..data.len() / 2]).unwrap();
    one_line_error(
        &mapguard(&[path.to_str().unwrap()]),
        "truncated.pb.gz",
        "gzip",
    );
}

#[test]
fn random_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("random.bin");
    // A fixed xorshift stream: not gzip, not text, not a profile.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    std::fs::write(&path, bytes).unwrap();
    one_line_error(
        &mapguard(&[path.to_str().unwrap()]),
        "random.bin",
        "not a pprof profile",
    );
}

#[test]
fn cpu_profile() {
    one_line_error(
        &mapguard(&[&profile("go1.26/cpu.pb.gz")]),
        "cpu.pb.gz",
        "not a heap profile: its sample types are samples/count, cpu/nanoseconds",
    );
}

/// A heap profile with its sample types but no samples, encoded by hand (proto3 wire format).
#[test]
fn profile_without_samples() {
    let strings = ["", "inuse_space", "bytes"];
    let mut data = vec![0x0a, 0x04, 0x08, 0x01, 0x10, 0x02]; // sample_type {type: 1, unit: 2}
    for s in strings {
        data.push(0x32); // string_table
        data.push(s.len() as u8);
        data.extend_from_slice(s.as_bytes());
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.pb");
    std::fs::write(&path, data).unwrap();
    one_line_error(
        &mapguard(&[path.to_str().unwrap()]),
        "empty.pb",
        "no samples",
    );
}

#[test]
fn unknown_sample_type() {
    one_line_error(
        &mapguard(&[&profile("go1.26/heap.pb.gz"), "--sample", "inuse_bytes"]),
        "--sample inuse_bytes",
        "unknown sample type",
    );
}

#[test]
fn over_max_bytes() {
    one_line_error(
        &mapguard(&[&profile("go1.26/heap.pb.gz"), "--max-bytes", "20000"]),
        "heap.pb.gz",
        "--max-bytes",
    );
}

/// Serves one canned HTTP response (or none, to time out) on a loopback port.
fn serve(response: Option<&'static str>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut buf = [0u8; 1024];
            let _ = stream.read(&mut buf);
            match response {
                Some(r) => {
                    let _ = stream.write_all(r.as_bytes());
                }
                None => std::thread::sleep(std::time::Duration::from_secs(5)),
            }
        }
    });
    format!("http://{addr}/debug/pprof/heap")
}

#[test]
fn http_404() {
    let url = serve(Some(
        "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found",
    ));
    one_line_error(&mapguard(&[&url]), &url, "HTTP status 404");
}

#[test]
fn http_timeout() {
    let url = serve(None);
    one_line_error(&mapguard(&[&url, "--timeout", "0.5"]), &url, "timed out");
}

#[test]
fn http_profile() {
    let data = std::fs::read(profile("go1.26/heap.pb.gz")).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/debug/pprof/heap", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut buf = [0u8; 1024];
        let _ = stream.read(&mut buf);
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            data.len()
        );
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(&data).unwrap();
    });
    let report = json(&[&url]);
    assert_eq!(report["profiles"][0]["input"], url.as_str());
}

#[test]
fn a_bad_input_does_not_stop_the_others() {
    let out = mapguard(&[&profile("go1.26/cpu.pb.gz"), &profile("go1.26/heap.pb.gz")]);
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("heap.pb.gz (inuse_space)"), "{stdout}");
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
}

/// The inverse size model brackets the real entry counts of the fixture maps (mapsprog/main.go:
/// byName and cloned 20000, sessions 20000, byID 5000 hinted, records 3000, blobs 500, small 7).
#[test]
fn entry_estimates_bracket_the_real_counts() {
    let cases: [(&str, &str, u64, &[&str]); 6] = [
        ("assign", "sessions", 20_000, &["go1.26", "go1.23"]),
        ("assign", "byName", 20_000, &["go1.26", "go1.23"]),
        ("assign", "blobs", 500, &["go1.26", "go1.23"]),
        ("assign", "small", 7, &["go1.26", "go1.23"]),
        ("assign", "records", 3_000, &["go1.26"]),
        ("make", "byID", 5_000, &["go1.26"]),
    ];
    for version in ["go1.26", "go1.23"] {
        let report = json(&[
            &profile(&format!("{version}/heap.pb.gz")),
            "--source",
            &source(),
        ]);
        let maps = report["profiles"][0]["attribution"]["maps"]
            .as_array()
            .unwrap();
        for (kind, name, entries, versions) in cases {
            if !versions.contains(&version) {
                continue;
            }
            let line = marker_line(kind, name);
            let m = maps
                .iter()
                .find(|m| m["sites"][0]["line"].as_u64() == Some(line))
                .unwrap();
            let low = m["entries"]["low"].as_u64().unwrap();
            let high = m["entries"]["high"].as_u64().unwrap();
            assert!(
                (low..=high).contains(&entries),
                "{version} {name}: {entries} not in {low}..={high}"
            );
        }
    }
}
