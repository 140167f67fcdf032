//! `mapguard alert-rules` and `mapguard dashboard`.

use std::process::Command;

use crate::support::*;

#[test]
fn alert_rules_are_valid_for_promtool_when_installed() {
    let out = Command::new(MAPGUARD)
        .args(["alert-rules", "--leak-for", "45m"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rules = String::from_utf8(out.stdout).unwrap();
    for alert in [
        "MapguardMapLeakSuspect",
        "GoLiveHeapGrowing",
        "GoGCPauseP99High",
    ] {
        assert!(rules.contains(&format!("- alert: {alert}\n")), "{rules}");
    }
    assert!(rules.contains("for: 45m"));
    let bad = Command::new(MAPGUARD)
        .args(["alert-rules", "--leak-for", "soon"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rules.yml");
    std::fs::write(&file, &rules).unwrap();
    match Command::new("promtool")
        .arg("check")
        .arg("rules")
        .arg(&file)
        .output()
    {
        Ok(check) => assert!(
            check.status.success(),
            "promtool check rules:\n{}{}",
            String::from_utf8_lossy(&check.stdout),
            String::from_utf8_lossy(&check.stderr)
        ),
        // promtool (Debian package `prometheus`) is not installed by .ci/run.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => panic!("promtool: {e}"),
    }
}

#[test]
fn grafana_dashboard_is_json_with_a_query_per_panel() {
    let out = Command::new(MAPGUARD).arg("dashboard").output().unwrap();
    assert!(out.status.success());
    let dash: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let panels = dash["panels"].as_array().unwrap();
    assert!(panels.len() >= 5);
    for p in panels {
        let targets = p["targets"].as_array().unwrap();
        assert!(!targets.is_empty(), "{p}");
        assert!(
            targets
                .iter()
                .all(|t| t["expr"].as_str().is_some_and(|e| !e.is_empty()))
        );
    }
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("go_gc_duration_seconds") && text.contains("mapguard_leak_suspect"));
}
