//! What renderers need to know about a rule (SARIF's `tool.driver.rules`, `mapguard rules`).

use serde::{Deserialize, Serialize};

use crate::Severity;

/// A rule's identity and documentation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RuleMeta {
    /// Stable code, e.g. `MG301`.
    pub code: String,
    /// Kebab-case name, e.g. `map-cleared-by-delete-loop`.
    pub name: String,
    /// One line saying what the rule finds.
    pub summary: String,
    /// The full documentation, markdown (What it does / Why is this bad? / Example / …).
    pub docs: String,
    /// Severity unless configured otherwise.
    pub default_severity: Severity,
    /// Whether the rule can produce fixes.
    pub fixable: bool,
}
