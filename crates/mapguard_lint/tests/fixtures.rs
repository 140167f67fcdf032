//! The analysistest convention: every rule runs over `testdata/src/<rule-name>/`; each
//! `// want "regexp"` line must get a matching finding of that rule and no other line may get
//! one; `<file>.go.golden` is the file after the rule's fixes.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use mapguard_diagnostics::render::{self, Report};
use mapguard_diagnostics::{Diagnostic, apply_fixes};
use mapguard_go::index::Index;
use mapguard_go::{LoadOptions, load};
use mapguard_lint::{Settings, all_rules, check};
use regex::Regex;

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/src")
}

/// Every module (folder with a go.mod) under a rule's fixture folder.
fn modules(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        if d.join("go.mod").is_file() {
            out.push(d.clone());
        }
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            }
        }
    }
    out.sort();
    out
}

/// `(file, line) → regexps` from `// want "…" "…"` comments.
fn expectations(dir: &Path) -> BTreeMap<(String, u32), Vec<Regex>> {
    let want = Regex::new(r#"//\s*want\s+(.*)$"#).unwrap();
    let quoted = Regex::new(r#""((?:[^"\\]|\\.)*)"|`([^`]*)`"#).unwrap();
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().and_then(|e| e.to_str()) != Some("go") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (i, line) in text.lines().enumerate() {
                let Some(caps) = want.captures(line) else {
                    continue;
                };
                let regexps: Vec<Regex> = quoted
                    .captures_iter(&caps[1])
                    .map(|q| {
                        let raw = q.get(1).map_or_else(
                            || q[2].to_string(),
                            |m| m.as_str().replace("\\\"", "\"").replace("\\\\", "\\"),
                        );
                        Regex::new(&raw).unwrap()
                    })
                    .collect();
                out.insert(
                    (
                        path.canonicalize().unwrap().display().to_string(),
                        i as u32 + 1,
                    ),
                    regexps,
                );
            }
        }
    }
    out
}

fn run_rule(code: &str, module: &Path) -> Vec<Diagnostic> {
    let program = load(&["./...".to_string()], module, &LoadOptions::default());
    assert!(
        program.errors.is_empty(),
        "{}: {:?}",
        module.display(),
        program.errors
    );
    assert!(
        program.warnings.is_empty(),
        "{}: syntax errors {:?}",
        module.display(),
        program.warnings
    );
    let index = Index::build(&program);
    let settings = Settings::default();
    let mut found = check(&program, &index, &|_| &settings);
    found.retain(|d| d.code == code);
    for d in &mut found {
        d.location.path = module
            .join(&d.location.path)
            .canonicalize()
            .unwrap()
            .display()
            .to_string();
    }
    found
}

#[test]
fn every_rule_meets_its_fixtures() {
    let mut failures = Vec::new();
    for rule in all_rules() {
        let dir = testdata().join(rule.name);
        if !dir.is_dir() {
            failures.push(format!(
                "{}: no fixture folder {}",
                rule.code,
                dir.display()
            ));
            continue;
        }
        let mut wanted = expectations(&dir);
        let mut found = Vec::new();
        for module in modules(&dir) {
            found.extend(run_rule(rule.code, &module));
        }
        for d in &found {
            let key = (d.location.path.clone(), d.location.start.line);
            let matched = wanted.get_mut(&key).and_then(|res| {
                let i = res.iter().position(|re| re.is_match(&d.message))?;
                Some(res.remove(i))
            });
            if matched.is_none() {
                failures.push(format!(
                    "{}: unexpected finding {}:{}: {}",
                    rule.code, key.0, key.1, d.message
                ));
            }
        }
        for ((path, line), res) in wanted {
            for re in res {
                failures.push(format!(
                    "{}: missing finding at {path}:{line} matching {re}",
                    rule.code
                ));
            }
        }
        check_goldens(rule.code, &dir, &found, &mut failures);
        snapshot(rule.name, &found);
    }
    assert!(
        failures.is_empty(),
        "{} fixture failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn check_goldens(code: &str, dir: &Path, found: &[Diagnostic], failures: &mut Vec<String>) {
    for entry in walkdir(dir) {
        let Some(source_path) = entry.to_str().and_then(|p| p.strip_suffix(".golden")) else {
            continue;
        };
        let source_path = Path::new(source_path).canonicalize().unwrap();
        let source = std::fs::read_to_string(&source_path).unwrap();
        let golden = std::fs::read_to_string(&entry).unwrap();
        let fixes: Vec<_> = found
            .iter()
            .filter(|d| Path::new(&d.location.path) == source_path)
            .filter_map(|d| d.fix.as_ref())
            .collect();
        let fixed = apply_fixes(&source, &fixes, false);
        if fixed.output != golden {
            failures.push(format!(
                "{code}: {} after fixes differs from its golden file:\n{}",
                source_path.display(),
                fixed.output
            ));
        }
    }
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().and_then(|e| e.to_str()) == Some("golden") {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn every_rule_is_documented_and_uniquely_named() {
    let rules = all_rules();
    let code_shape = Regex::new(r"^MG\d{3}$").unwrap();
    let name_shape = Regex::new(r"^[a-z]+(-[a-z]+)*$").unwrap();
    let mut codes: Vec<&str> = rules.iter().map(|r| r.code).collect();
    codes.dedup();
    assert_eq!(codes.len(), rules.len(), "duplicate rule codes");
    for rule in rules {
        for section in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Fix safety",
        ] {
            assert!(
                rule.docs.contains(section),
                "{} docs lack {section:?}",
                rule.code
            );
        }
        assert!(
            rule.docs.contains("Use instead"),
            "{} docs lack 'Use instead'",
            rule.code
        );
        assert!(code_shape.is_match(rule.code), "{}", rule.code);
        assert!(name_shape.is_match(rule.name), "{}", rule.name);
        for banned in ["avoid-", "use-", "prefer-", "do-not-"] {
            assert!(
                !rule.name.starts_with(banned),
                "{} is named after a fix",
                rule.name
            );
        }
    }
}

/// The rendered text output of a rule over its fixtures, with paths relative to `testdata/src`.
fn snapshot(name: &str, found: &[Diagnostic]) {
    let root = testdata().canonicalize().unwrap().display().to_string() + "/";
    let mut shown: Vec<Diagnostic> = found.to_vec();
    let mut sources: HashMap<String, String> = HashMap::new();
    for d in &mut shown {
        let absolute = d.location.path.clone();
        d.location.path = absolute.trim_start_matches(&root).to_string();
        sources
            .entry(d.location.path.clone())
            .or_insert_with(|| std::fs::read_to_string(&absolute).unwrap());
        for related in &mut d.related {
            related.location.path = related.location.path.trim_start_matches(&root).to_string();
        }
    }
    mapguard_diagnostics::sort_diagnostics(&mut shown);
    let mut out = Vec::new();
    let report = Report {
        diagnostics: &shown,
        errors: &[],
        rules: &[],
    };
    render::text::render(
        &mut out,
        &report,
        &sources,
        &render::text::TextOptions::default(),
    )
    .unwrap();
    insta::assert_snapshot!(name, String::from_utf8(out).unwrap());
}
