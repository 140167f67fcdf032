//! Snapshots of the text renderer.

mod common;

use mapguard_diagnostics::render::Report;
use mapguard_diagnostics::render::text::{self, TextOptions};
use mapguard_diagnostics::{NoSources, Summary};

fn render(options: &TextOptions) -> String {
    let (diagnostics, errors, rules) = (common::diagnostics(), common::errors(), common::rules());
    let report = Report {
        diagnostics: &diagnostics,
        errors: &errors,
        rules: &rules,
    };
    let mut out = Vec::new();
    text::render(&mut out, &report, &common::sources(), options).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn full_report_with_frames() {
    insta::assert_snapshot!(render(&TextOptions::default()));
}

#[test]
fn header_lines_only() {
    insta::assert_snapshot!(render(&TextOptions {
        show_source: false,
        ..TextOptions::default()
    }));
}

#[test]
fn without_sources_prints_headers_and_notes() {
    let (diagnostics, errors) = (common::diagnostics(), common::errors());
    let report = Report {
        diagnostics: &diagnostics,
        errors: &errors,
        rules: &[],
    };
    let mut out = Vec::new();
    text::render(&mut out, &report, &NoSources, &TextOptions::default()).unwrap();
    insta::assert_snapshot!(String::from_utf8(out).unwrap());
}

#[test]
fn colour_only_when_asked() {
    let plain = render(&TextOptions::default());
    assert!(!plain.contains('\x1b'), "plain output has escape codes");
    let coloured = render(&TextOptions {
        color: true,
        ..TextOptions::default()
    });
    assert!(
        coloured.contains("\x1b["),
        "coloured output has no escape codes"
    );
    insta::assert_snapshot!(coloured);
}

#[test]
fn unicode_decoration() {
    insta::assert_snapshot!(render(&TextOptions {
        unicode: true,
        ..TextOptions::default()
    }));
}

#[test]
fn summary_lines() {
    let cases = [
        Summary {
            findings: 0,
            safe_fixes: 0,
            unsafe_fixes: 0,
            errors: 0,
        },
        Summary {
            findings: 1,
            safe_fixes: 1,
            unsafe_fixes: 0,
            errors: 0,
        },
        Summary {
            findings: 5,
            safe_fixes: 2,
            unsafe_fixes: 1,
            errors: 1,
        },
        Summary {
            findings: 0,
            safe_fixes: 0,
            unsafe_fixes: 0,
            errors: 3,
        },
    ];
    let mut out = Vec::new();
    for summary in &cases {
        text::render_summary(&mut out, summary, &TextOptions::default()).unwrap();
    }
    insta::assert_snapshot!(String::from_utf8(out).unwrap(), @r"
    No findings.
    Found 1 finding (1 fixable with `--fix`).
    Found 5 findings (2 fixable with `--fix`, 1 with `--unsafe-fixes`). 1 input could not be checked.
    No findings. 3 inputs could not be checked.
    ");
}

#[test]
fn crlf_lines_and_stale_locations() {
    use mapguard_diagnostics::{Diagnostic, Location, Severity, SourceMap, TextRange};
    let source = "package p\r\n\r\nvar seen = map[string]bool{}\r\n\r\nfunc f() {\r\n\tfor k := range seen {\r\n\t\tdelete(seen, k)\r\n\t}\r\n}\r\n";
    let mut sources = SourceMap::new();
    sources.insert("p.go", source);
    let range = common::find(source, "map[string]bool{}", 0);
    let crlf = Diagnostic::new(
        "MG201",
        "unbounded-package-map",
        Severity::Error,
        "package map `seen` only grows",
        Location::from_source("p.go", source, range),
    );
    let loop_range = common::span(source, "for k", "\t}");
    let multi_line = Diagnostic::new(
        "MG301",
        "map-cleared-by-delete-loop",
        Severity::Info,
        "map `seen` is cleared by a delete loop",
        Location::from_source("p.go", source, loop_range),
    );
    // A location computed from an older version of the file: past its end.
    let mut stale = crlf.clone();
    stale.location.range = TextRange::new(500, 510);
    let mut out = Vec::new();
    for diagnostic in [&crlf, &multi_line, &stale] {
        text::render_diagnostic(&mut out, diagnostic, &sources, &TextOptions::default()).unwrap();
    }
    let output = String::from_utf8(out).unwrap();
    assert!(
        !output.contains(['\r', '␍']),
        "carriage return leaked into the frame: {output:?}"
    );
    insta::assert_snapshot!(output);
}

#[test]
fn fix_diff_numbers_lines_before_and_after_the_finding() {
    use mapguard_diagnostics::{Diagnostic, Edit, Fix, Location, Severity, SourceMap};
    let source = "package p\n\nimport \"fmt\"\n\nvar cache = map[string]int{}\n\nfunc f() {\n\tcache[\"a\"] = 1\n}\n";
    let mut sources = SourceMap::new();
    sources.insert("p.go", source);
    let finding = common::find(source, "map[string]int{}", 0);
    let import = common::find(source, "\"fmt\"", 0);
    let write = common::find(source, "cache[\"a\"] = 1", 0);
    let diagnostic = Diagnostic::new(
        "MG201",
        "unbounded-package-map",
        Severity::Error,
        "package map `cache` only grows",
        Location::from_source("p.go", source, finding),
    )
    .with_fix(Fix::unsafe_edits(
        "Bound the map",
        vec![
            Edit::replacement(import, "(\n\t\"fmt\"\n\t\"sync\"\n)"),
            Edit::insertion(write.start, "mu.Lock(); "),
        ],
    ));
    let mut out = Vec::new();
    text::render_diagnostic(&mut out, &diagnostic, &sources, &TextOptions::default()).unwrap();
    let output = String::from_utf8(out).unwrap();
    // Line numbers of the fixed text: the import is line 3, the write (line 8 before the fix)
    // moves down by the three lines the import block adds.
    assert!(
        output.contains(" 3 ~ import (") && output.contains("11 ~     mu.Lock();"),
        "{output}"
    );
    insta::assert_snapshot!(output);
}
