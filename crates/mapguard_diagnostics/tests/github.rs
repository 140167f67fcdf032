//! The GitHub workflow-command renderer.

mod common;

use mapguard_diagnostics::render::{Report, github};

#[test]
fn annotations() {
    let (diagnostics, errors) = (common::diagnostics(), common::errors());
    let mut out = Vec::new();
    github::render(
        &mut out,
        &Report {
            diagnostics: &diagnostics,
            errors: &errors,
            rules: &[],
        },
    )
    .unwrap();
    let output = String::from_utf8(out).unwrap();
    for line in output.lines() {
        assert!(line.starts_with("::"), "not a workflow command: {line}");
    }
    assert_eq!(output.lines().count(), diagnostics.len() + errors.len());
    insta::assert_snapshot!(output);
}
