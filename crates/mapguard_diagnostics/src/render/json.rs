//! The versioned JSON document of `--format json`, documented in `docs/output/json.md` and
//! described by `docs/output/mapguard-check.schema.json`:
//!
//! ```json
//! {"version": 1, "tool": {...}, "summary": {...}, "diagnostics": [...], "errors": [...]}
//! ```
//!
//! `version` changes only when a field is removed or changes meaning; new fields may appear in
//! any version.

use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use crate::render::{Report, ToolInfo};
use crate::{Diagnostic, InputError, Summary};

/// The document version this crate writes.
pub const VERSION: u32 = 1;

/// Writes the report as one pretty-printed JSON document followed by a newline.
pub fn render(out: &mut dyn Write, report: &Report<'_>, tool: &ToolInfo) -> io::Result<()> {
    let document = Document {
        version: VERSION,
        tool: JsonTool {
            name: &tool.name,
            version: &tool.version,
        },
        summary: JsonSummary::from(Summary::new(report.diagnostics, report.errors)),
        diagnostics: report.diagnostics,
        errors: report.errors,
    };
    serde_json::to_writer_pretty(&mut *out, &document).map_err(io::Error::from)?;
    writeln!(out)
}

/// Parses a document written by [`render`] (any version-1 document).
pub fn parse(text: &str) -> serde_json::Result<JsonReport> {
    serde_json::from_str(text)
}

/// An owned version-1 document, as read back by [`parse`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct JsonReport {
    /// Document version; 1.
    pub version: u32,
    /// The tool that wrote it.
    pub tool: JsonToolOwned,
    /// Counts.
    pub summary: JsonSummary,
    /// Findings.
    pub diagnostics: Vec<Diagnostic>,
    /// Inputs that could not be checked.
    pub errors: Vec<InputError>,
}

/// The `tool` object of a parsed document.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct JsonToolOwned {
    /// `mapguard`.
    pub name: String,
    /// The version that wrote the document.
    pub version: String,
}

/// The `summary` object: counts a CI script may gate on without walking the arrays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct JsonSummary {
    /// Number of findings.
    pub findings: usize,
    /// Findings with a safe fix (`--fix`).
    pub fixable: usize,
    /// Findings with an unsafe fix.
    pub unsafe_fixable: usize,
    /// Inputs that could not be checked.
    pub errors: usize,
}

impl From<Summary> for JsonSummary {
    fn from(summary: Summary) -> Self {
        Self {
            findings: summary.findings,
            fixable: summary.safe_fixes,
            unsafe_fixable: summary.unsafe_fixes,
            errors: summary.errors,
        }
    }
}

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: JsonTool<'a>,
    summary: JsonSummary,
    diagnostics: &'a [Diagnostic],
    errors: &'a [InputError],
}

#[derive(Serialize)]
struct JsonTool<'a> {
    name: &'a str,
    version: &'a str,
}
