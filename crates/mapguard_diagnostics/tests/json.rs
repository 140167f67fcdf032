//! The JSON renderer: snapshot, schema validation, round trip.

mod common;

use mapguard_diagnostics::render::json;
use mapguard_diagnostics::render::{Report, ToolInfo};
use serde_json::Value;

fn tool() -> ToolInfo {
    ToolInfo {
        name: "mapguard".to_owned(),
        version: "0.1.0".to_owned(),
        information_uri: None,
    }
}

fn render(report: &Report<'_>) -> String {
    let mut out = Vec::new();
    json::render(&mut out, report, &tool()).unwrap();
    String::from_utf8(out).unwrap()
}

fn schema() -> jsonschema::Validator {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/output/mapguard-check.schema.json"
    );
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn assert_valid(document: &str) {
    let instance: Value = serde_json::from_str(document).unwrap();
    let validator = schema();
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "schema violations:\n{}",
        errors.join("\n")
    );
}

#[test]
fn full_report() {
    let (diagnostics, errors, rules) = (common::diagnostics(), common::errors(), common::rules());
    let output = render(&Report {
        diagnostics: &diagnostics,
        errors: &errors,
        rules: &rules,
    });
    assert_valid(&output);
    insta::assert_snapshot!(output);
}

#[test]
fn empty_report() {
    let output = render(&Report {
        diagnostics: &[],
        errors: &[],
        rules: &[],
    });
    assert_valid(&output);
    insta::assert_snapshot!(output, @r#"
    {
      "version": 1,
      "tool": {
        "name": "mapguard",
        "version": "0.1.0"
      },
      "summary": {
        "findings": 0,
        "fixable": 0,
        "unsafe_fixable": 0,
        "errors": 0
      },
      "diagnostics": [],
      "errors": []
    }
    "#);
}

#[test]
fn parses_back_to_the_same_findings() {
    let (diagnostics, errors) = (common::diagnostics(), common::errors());
    let output = render(&Report {
        diagnostics: &diagnostics,
        errors: &errors,
        rules: &[],
    });
    let parsed = json::parse(&output).unwrap();
    assert_eq!(parsed.version, json::VERSION);
    assert_eq!(parsed.diagnostics, diagnostics);
    assert_eq!(parsed.errors, errors);
    assert_eq!(
        (
            parsed.summary.findings,
            parsed.summary.fixable,
            parsed.summary.unsafe_fixable
        ),
        (6, 1, 1)
    );
}

#[test]
fn schema_rejects_what_the_renderer_must_not_write() {
    let (diagnostics, errors) = (common::diagnostics(), common::errors());
    let output = render(&Report {
        diagnostics: &diagnostics,
        errors: &errors,
        rules: &[],
    });
    let validator = schema();
    let valid: Value = serde_json::from_str(&output).unwrap();
    let broken = [
        ("/diagnostics/0/severity", Value::from("fatal")),
        ("/diagnostics/0/location/start/column", Value::from(0)),
        ("/diagnostics/0/fix/applicability", Value::from("maybe")),
        ("/version", Value::from(2)),
    ];
    for (pointer, value) in broken {
        let mut instance = valid.clone();
        *instance.pointer_mut(pointer).unwrap() = value;
        assert!(
            !validator.is_valid(&instance),
            "schema accepts {pointer} changed"
        );
    }
}
