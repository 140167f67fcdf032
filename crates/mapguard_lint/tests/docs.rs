//! `docs/rules/` is generated from the rules' own doc comments and must stay in sync.
//! Regenerate with `MAPGUARD_UPDATE_DOCS=1 cargo test -p mapguard_lint --test docs`.

use std::path::Path;

use mapguard_lint::{RuleInfo, all_rules};

fn page(rule: &RuleInfo) -> String {
    let body: Vec<&str> = rule
        .docs
        .lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect();
    let fix = if rule.fixable {
        "yes (`mapguard check --fix`)"
    } else {
        "no"
    };
    format!(
        "<!-- Generated from crates/mapguard_lint; edit the rule's doc comment, then run\n     MAPGUARD_UPDATE_DOCS=1 cargo test -p mapguard_lint --test docs -->\n# {} {}\n\n{}\n\nDefault severity: {}. Fix available: {fix}.\n\n{}\n",
        rule.code,
        rule.name,
        rule.summary,
        rule.severity.as_str(),
        body.join("\n").trim_end()
    )
}

#[test]
fn rule_pages_match_rule_docs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules");
    let update = std::env::var_os("MAPGUARD_UPDATE_DOCS").is_some();
    let mut index = String::from(
        "# Rules\n\n| code | name | default severity | fix | finds |\n| --- | --- | --- | --- | --- |\n",
    );
    let mut stale = Vec::new();
    for rule in all_rules() {
        let file = dir.join(format!("{}.md", rule.name));
        let expected = page(rule);
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&file, &expected).unwrap();
        } else if std::fs::read_to_string(&file).ok().as_deref() != Some(expected.as_str()) {
            stale.push(file.display().to_string());
        }
        let fix = if rule.fixable { "yes" } else { "" };
        index.push_str(&format!(
            "| {} | [{}]({}.md) | {} | {fix} | {} |\n",
            rule.code,
            rule.name,
            rule.name,
            rule.severity.as_str(),
            rule.summary
        ));
    }
    let index_file = dir.join("README.md");
    if update {
        std::fs::write(&index_file, &index).unwrap();
    } else if std::fs::read_to_string(&index_file).ok().as_deref() != Some(index.as_str()) {
        stale.push(index_file.display().to_string());
    }
    assert!(
        stale.is_empty(),
        "stale rule docs (regenerate with MAPGUARD_UPDATE_DOCS=1): {stale:?}"
    );
}
