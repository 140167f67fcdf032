//! Renderers: each writes one output format to a `&mut dyn Write` and never prints.

pub mod github;
pub mod json;
pub mod sarif;
pub mod text;

use crate::{Diagnostic, InputError, RuleMeta};

/// Everything one run reports: findings, inputs that could not be checked, and the metadata
/// of the rules that ran (SARIF lists them; other formats ignore it).
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    /// Findings, in the order they are printed (see [`sort_diagnostics`](crate::sort_diagnostics)).
    pub diagnostics: &'a [Diagnostic],
    /// Inputs that could not be read or parsed.
    pub errors: &'a [InputError],
    /// The rules that were enabled.
    pub rules: &'a [RuleMeta],
}

/// The tool that produced a report (SARIF's `tool.driver`, the JSON `tool` object).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolInfo {
    /// `mapguard`.
    pub name: String,
    /// The tool's version, e.g. `0.1.0`.
    pub version: String,
    /// Where the tool's documentation lives, if anywhere.
    pub information_uri: Option<String>,
}

impl ToolInfo {
    /// mapguard at this crate's version (the workspace shares one version).
    pub fn mapguard() -> Self {
        Self {
            name: "mapguard".to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            information_uri: None,
        }
    }
}
