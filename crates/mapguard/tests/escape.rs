//! `mapguard escape` end to end with the real go command (Go 1.26): map verdicts checked against
//! the compiler's own `-gcflags=-m=2` output, saved output from a file and stdin, no `go` on
//! PATH, compile errors and bad input.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_mapguard");

fn module() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/escape")
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn mapguard(args: &[&str], dir: &Path, stdin: Option<&[u8]>, path_env: Option<&str>) -> Run {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(path) = path_env {
        command.env("PATH", path);
    }
    let mut child = command.spawn().expect("mapguard runs");
    let input = stdin.unwrap_or_default().to_vec();
    let mut pipe = child.stdin.take().unwrap();
    std::thread::spawn(move || pipe.write_all(&input));
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The compiler's own output for the testdata package, straight from `go build`.
fn compiler_output() -> String {
    let out = Command::new("go")
        .args(["build", "-gcflags=-m=2", "-o", "/dev/null", "./..."])
        .current_dir(module())
        .output()
        .expect("go runs");
    assert!(out.status.success());
    String::from_utf8(out.stderr).unwrap()
}

/// `(file:line:col, message)` of the compiler's verdict lines (not explanations).
fn compiler_verdicts(output: &str) -> Vec<(String, String)> {
    output
        .lines()
        .filter_map(|line| {
            let mut parts = line.splitn(4, ':');
            let (file, l, c, message) =
                (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
            let message = message.strip_prefix(' ')?;
            if message.starts_with(' ') || message.ends_with(':') {
                return None;
            }
            Some((format!("{file}:{l}:{c}"), message.to_string()))
        })
        .collect()
}

fn escape_json(args: &[&str]) -> serde_json::Value {
    let out = mapguard(args, &module(), None, None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap()
}

fn at(entry: &serde_json::Value) -> String {
    format!(
        "{}:{}:{}",
        entry["path"].as_str().unwrap(),
        entry["line"],
        entry["column"]
    )
}

#[test]
fn map_verdicts_match_the_compilers_output() {
    let compiler = compiler_output();
    let verdicts = compiler_verdicts(&compiler);
    let json = escape_json(&["escape", "--format", "json", "./..."]);
    let escapes = json["escapes"].as_array().unwrap();

    // Every map allocation the compiler judged, and nothing else, is reported as make/literal.
    let expected: BTreeSet<(String, String)> = verdicts
        .iter()
        .filter(|(_, m)| {
            (m.starts_with("make(map[") || m.starts_with("map[") || m.starts_with("make(Set)"))
                && (m.ends_with(" escapes to heap") || m.ends_with(" does not escape"))
        })
        .cloned()
        .collect();
    let allocations: BTreeSet<(String, String)> = escapes
        .iter()
        .filter(|e| e["map_role"] == "make" || e["map_role"] == "literal")
        .map(|e| (at(e), e["message"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(allocations, expected);
    assert_eq!(expected.len(), 9, "{expected:#?}");

    // Every reported verdict is one the compiler printed at that position.
    for entry in escapes {
        let message = entry["message"].as_str().unwrap();
        let wanted = match entry["verdict"].as_str().unwrap() {
            "captured_by_value" => {
                format!("capturing by value: {}", entry["subject"].as_str().unwrap())
            }
            _ => message.to_string(),
        };
        assert!(
            verdicts
                .iter()
                .any(|(p, m)| *p == at(entry) && m.contains(&wanted)),
            "{} {message} not in compiler output",
            at(entry)
        );
        // The explanation chain is complete: as many `from` steps as the compiler printed.
        if entry["verdict"] == "escapes_to_heap" || entry["verdict"] == "moved_to_heap" {
            let prefix = format!("{}:     from ", at(entry));
            let printed = compiler.lines().filter(|l| l.starts_with(&prefix)).count();
            let parsed: usize = entry["flows"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["steps"].as_array().unwrap().len())
                .sum();
            assert_eq!(parsed, printed, "{}", at(entry));
        }
    }

    let find = |line: u64, column: u64| {
        escapes
            .iter()
            .find(|e| e["line"] == line && e["column"] == column)
            .unwrap_or_else(|| panic!("no escape at {line}:{column}"))
    };
    // A named map type is a map only by the source: the index resolves `Set`.
    assert_eq!(find(63, 13)["map_type"], "cache.Set");
    // The map counted in CountWords stays on the stack.
    assert_eq!(find(25, 16)["on_heap"], false);
    // A pointer stored as a map value, and a map captured by a goroutine's closure.
    assert_eq!(find(48, 10)["map_role"], "value");
    assert_eq!(find(72, 21)["captured"], true);
    assert_eq!(find(81, 2)["verdict"], "moved_to_heap");
    assert_eq!(find(81, 2)["flows"][0]["steps"][0]["reason"], "address-of");
    assert_eq!(
        find(54, 16)["source_line"],
        "\tbyItem := make(map[*Item]int)"
    );
    let summary = &json["summary"];
    assert_eq!(
        summary["map_verdicts"].as_u64().unwrap() as usize,
        escapes.len()
    );
}

#[test]
fn saved_output_reads_like_a_live_run() {
    let live = escape_json(&["escape", "--format", "json"]);
    let saved = escape_json(&["escape", "--format", "json", "--input", "m2.txt"]);
    assert_eq!(
        saved, live,
        "regenerate testdata/escape/m2.txt with generate.sh"
    );
    let text = std::fs::read(module().join("m2.txt")).unwrap();
    let out = mapguard(
        &["escape", "--input", "-", "--heap-only"],
        &module(),
        Some(&text),
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains(
        "cache/cache.go:81:2: moved to heap: m [map variable, map[string]int, in Pointer]\n 81 | \tm := make(map[string]int)\n    | \t^\n    flow: ~r0 ← &m\n"
    ), "{}", out.stdout);
    assert!(!out.stdout.contains("does not escape"));
    assert!(
        out.stdout
            .ends_with("16 map escape verdicts: 16 on the heap, 0 on the stack.\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn without_go_on_path_it_says_so() {
    let out = mapguard(&["escape", "./..."], &module(), None, Some(""));
    assert_eq!(out.code, 2);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(
        out.stderr.starts_with("mapguard: go: not found on PATH"),
        "{}",
        out.stderr
    );
    // Saved output needs no go.
    let out = mapguard(&["escape", "--input", "m2.txt"], &module(), None, Some(""));
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn compile_errors_fail_with_the_compilers_message() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("go.mod"),
        "module example.com/broken\n\ngo 1.22\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.go"),
        "package broken\n\nfunc F() map[string]int { return undefinedName }\n",
    )
    .unwrap();
    let out = mapguard(&["escape"], dir.path(), None, None);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("undefined: undefinedName"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("go build failed"), "{}", out.stderr);
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 2] = [
        ("binary.txt", b"\x00\x01\x02", "not compiler output"),
        ("prose.txt", b"hello\nworld\n", "no escape-analysis lines"),
    ];
    for (name, bytes, expected) in cases {
        std::fs::write(dir.path().join(name), bytes).unwrap();
        let out = mapguard(&["escape", "--input", name], dir.path(), None, None);
        assert_eq!(out.code, 2, "{name}");
        assert_eq!(out.stderr.lines().count(), 1, "{name}: {}", out.stderr);
        assert!(out.stderr.contains(expected), "{name}: {}", out.stderr);
    }
    let out = mapguard(
        &["escape", "--input", "missing.txt"],
        dir.path(),
        None,
        None,
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.starts_with("mapguard: missing.txt: "),
        "{}",
        out.stderr
    );
    // Empty output (nothing to build) is not an error.
    let out = mapguard(&["escape", "--input", "-"], dir.path(), Some(b""), None);
    assert_eq!(out.code, 0, "{}", out.stderr);
}
