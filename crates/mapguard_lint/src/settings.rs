//! Which rules run and how loud they are: `mapguard.toml` at the module root, then flags.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use mapguard_diagnostics::Severity;
use serde::Deserialize;

use crate::rule::RuleInfo;

/// Resolved rule selection and severities.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Codes, code prefixes (`MG2`), rule names or `ALL`; empty means every rule.
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub severities: HashMap<String, Severity>,
    /// Severity of findings in `_test.go` files, when lowered.
    pub test_severity: Option<Severity>,
    /// Paths (relative to the config's directory) whose files are not checked.
    pub exclude: Vec<PathBuf>,
}

/// The `mapguard.toml` file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub select: Vec<String>,
    #[serde(default)]
    pub ignore: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Severity for findings in test files.
    #[serde(default)]
    pub tests: Option<SeverityName>,
    #[serde(default)]
    pub severity: HashMap<String, SeverityName>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SeverityName {
    Error,
    Warning,
    Info,
}

impl From<SeverityName> for Severity {
    fn from(name: SeverityName) -> Self {
        match name {
            SeverityName::Error => Severity::Error,
            SeverityName::Warning => Severity::Warning,
            SeverityName::Info => Severity::Info,
        }
    }
}

/// A configuration file that could not be used.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct ConfigError {
    pub path: PathBuf,
    pub message: String,
}

impl Settings {
    /// Reads `mapguard.toml` in `dir`, if there is one.
    pub fn from_dir(dir: &Path) -> Result<Settings, ConfigError> {
        let path = dir.join("mapguard.toml");
        if !path.is_file() {
            return Ok(Settings::default());
        }
        let text = std::fs::read_to_string(&path).map_err(|e| ConfigError {
            path: path.clone(),
            message: e.to_string(),
        })?;
        let file: ConfigFile = toml::from_str(&text).map_err(|e| ConfigError {
            path: path.clone(),
            message: one_line(&e),
        })?;
        Settings::from_config(file, dir).map_err(|message| ConfigError { path, message })
    }

    fn from_config(file: ConfigFile, dir: &Path) -> Result<Settings, String> {
        for code in file
            .select
            .iter()
            .chain(&file.ignore)
            .chain(file.severity.keys())
        {
            if !crate::registry::matches_any_rule(code) {
                return Err(format!("unknown rule or prefix {code:?}"));
            }
        }
        Ok(Settings {
            select: file.select,
            ignore: file.ignore,
            severities: file
                .severity
                .into_iter()
                .map(|(k, v)| (k, v.into()))
                .collect(),
            test_severity: file.tests.map(Into::into),
            exclude: file.exclude.iter().map(|p| dir.join(p)).collect(),
        })
    }

    /// Whether a rule runs.
    pub fn enabled(&self, rule: &RuleInfo) -> bool {
        let selected = self.select.is_empty() || self.select.iter().any(|s| selects(s, rule));
        selected && !self.ignore.iter().any(|s| selects(s, rule))
    }

    /// The severity of a finding of `rule`, in a test file or not.
    pub fn severity(&self, rule: &RuleInfo, in_test: bool) -> Severity {
        let configured = self
            .severities
            .iter()
            .filter(|(k, _)| selects(k, rule))
            .max_by_key(|(k, _)| k.len())
            .map_or(rule.severity, |(_, s)| *s);
        match (in_test, self.test_severity.or(rule.test_severity)) {
            (true, Some(lowered)) => lowered,
            _ => configured,
        }
    }
}

/// Whether a selector (`ALL`, `MG2`, `MG201`, `unbounded-package-map`) picks a rule.
pub fn selects(selector: &str, rule: &RuleInfo) -> bool {
    selector.eq_ignore_ascii_case("ALL")
        || rule.code.starts_with(&selector.to_ascii_uppercase())
        || rule.name == selector
}

/// The first line of a multi-line parser error, with its position when the parser gives one.
fn one_line(err: &toml::de::Error) -> String {
    let message = err
        .message()
        .lines()
        .next()
        .unwrap_or("invalid TOML")
        .to_string();
    match err.span() {
        Some(span) => format!("invalid TOML at byte {}: {message}", span.start),
        None => format!("invalid TOML: {message}"),
    }
}
