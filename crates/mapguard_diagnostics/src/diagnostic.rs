//! A finding: what is wrong, where, and how to fix it.

use serde::{Deserialize, Serialize};

use crate::{Fix, Location};

/// How serious a finding is. Errors and warnings fail `mapguard check`; so do infos.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A bug: wrong behaviour or unbounded memory.
    Error,
    /// Likely a problem, worth a look.
    Warning,
    /// A suggestion: clearer or cheaper code.
    Info,
}

impl Severity {
    /// The lowercase name, as in JSON output: `error`, `warning`, `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Another place that explains a finding (where the lock is taken, where the map is written).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Related {
    /// The place.
    pub location: Location,
    /// What happens there, e.g. "`mu` is held here".
    pub message: String,
}

/// One finding of one rule.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Diagnostic {
    /// The rule's stable code, e.g. `MG301`.
    pub code: String,
    /// The rule's name, e.g. `map-cleared-by-delete-loop`.
    pub rule: String,
    /// Severity after configuration.
    pub severity: Severity,
    /// What is wrong, one line, naming the concrete map or type.
    pub message: String,
    /// Where it is wrong.
    pub location: Location,
    /// Other places that explain the finding.
    pub related: Vec<Related>,
    /// An automatic fix, if the rule has one for this finding.
    pub fix: Option<Fix>,
    /// What to do about it, when there is no fix or more to say than the fix's message.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A finding with no related locations, fix or help.
    pub fn new(
        code: impl Into<String>,
        rule: impl Into<String>,
        severity: Severity,
        message: impl Into<String>,
        location: Location,
    ) -> Self {
        Self {
            code: code.into(),
            rule: rule.into(),
            severity,
            message: message.into(),
            location,
            related: Vec::new(),
            fix: None,
            help: None,
        }
    }

    /// Adds a related location.
    #[must_use]
    pub fn with_related(mut self, location: Location, message: impl Into<String>) -> Self {
        self.related.push(Related {
            location,
            message: message.into(),
        });
        self
    }

    /// Sets the fix.
    #[must_use]
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// Sets the help text.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Sorts findings as they are printed: by path, then position, then code.
pub fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (
            &a.location.path,
            a.location.range.start,
            a.location.range.end,
            &a.code,
            &a.message,
        )
            .cmp(&(
                &b.location.path,
                b.location.range.start,
                b.location.range.end,
                &b.code,
                &b.message,
            ))
    });
}
