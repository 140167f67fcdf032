//! SARIF 2.1.0, for GitHub code scanning and other SARIF viewers (see `docs/output/sarif.md`).
//!
//! One run; `tool.driver.rules` from the [`RuleMeta`]s of the report (with the rule docs as help
//! markdown); one result per finding with `ruleId`, `ruleIndex`, `level`, the location,
//! `relatedLocations` and `fixes`; input errors as `toolExecutionNotifications`. Columns are
//! converted to UTF-16 code units (SARIF's default `columnKind`) when the file's text is at hand.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::Path;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Value, json};

use crate::render::{Report, ToolInfo};
use crate::{
    Applicability, Diagnostic, Edit, Fix, InputError, LineCol, LineIndex, Location, RuleMeta,
    Severity, SourceProvider, TextRange,
};

/// The `$schema` written into every log.
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The `uriBaseId` of relative paths when [`SarifOptions::src_root`] is given.
pub const SRCROOT: &str = "%SRCROOT%";

/// Options for SARIF output.
#[derive(Debug, Clone, Copy, Default)]
pub struct SarifOptions<'a> {
    /// The absolute directory that relative paths are relative to (the working directory).
    /// When given, relative artifact URIs carry `uriBaseId: "%SRCROOT%"` and the run's
    /// `originalUriBaseIds` maps it to this directory; when not, relative URIs stand alone
    /// (GitHub resolves them against the repository root).
    pub src_root: Option<&'a Path>,
}

/// Writes the report as a SARIF 2.1.0 log, pretty-printed, followed by a newline.
pub fn render(
    out: &mut dyn Write,
    report: &Report<'_>,
    tool: &ToolInfo,
    sources: &dyn SourceProvider,
    options: &SarifOptions<'_>,
) -> io::Result<()> {
    let log = to_value(report, tool, sources, options);
    serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::from)?;
    writeln!(out)
}

/// The SARIF log as a JSON value.
pub fn to_value(
    report: &Report<'_>,
    tool: &ToolInfo,
    sources: &dyn SourceProvider,
    options: &SarifOptions<'_>,
) -> Value {
    let rule_index: HashMap<&str, usize> = report
        .rules
        .iter()
        .enumerate()
        .map(|(i, rule)| (rule.code.as_str(), i))
        .collect();
    let mut converter = Converter {
        sources,
        options,
        indexes: HashMap::new(),
    };
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|diagnostic| converter.result(diagnostic, &rule_index))
        .collect();

    let mut driver = json!({
        "name": tool.name,
        "version": tool.version,
        "semanticVersion": tool.version,
        "rules": report.rules.iter().map(rule).collect::<Vec<_>>(),
    });
    if let Some(uri) = &tool.information_uri {
        driver["informationUri"] = json!(uri);
    }
    let mut run = json!({
        "tool": { "driver": driver },
        "invocations": [invocation(report.errors, &mut converter)],
        "columnKind": "utf16CodeUnits",
        "results": results,
    });
    if let Some(root) = options.src_root {
        run["originalUriBaseIds"] = json!({ SRCROOT: { "uri": directory_uri(root) } });
    }
    json!({ "$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run] })
}

fn rule(meta: &RuleMeta) -> Value {
    json!({
        "id": meta.code,
        "name": meta.name,
        "shortDescription": { "text": meta.summary },
        "fullDescription": { "text": meta.summary },
        "help": { "text": meta.docs, "markdown": meta.docs },
        "defaultConfiguration": { "level": level(meta.default_severity) },
        "properties": { "fixable": meta.fixable },
    })
}

fn invocation(errors: &[InputError], converter: &mut Converter<'_>) -> Value {
    let notifications: Vec<Value> = errors
        .iter()
        .map(|error| {
            json!({
                "level": "error",
                "message": { "text": format!("{}: {}", error.path, error.message) },
                "locations": [{ "physicalLocation": { "artifactLocation": converter.artifact(&error.path) } }],
            })
        })
        .collect();
    json!({ "executionSuccessful": errors.is_empty(), "toolExecutionNotifications": notifications })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Turns locations into SARIF objects, caching a line index per file for column conversion.
struct Converter<'a> {
    sources: &'a dyn SourceProvider,
    options: &'a SarifOptions<'a>,
    indexes: HashMap<String, Option<LineIndex>>,
}

impl Converter<'_> {
    fn result(&mut self, diagnostic: &Diagnostic, rule_index: &HashMap<&str, usize>) -> Value {
        let mut result = json!({
            "ruleId": diagnostic.code,
            "level": level(diagnostic.severity),
            "message": { "text": diagnostic.message },
            "locations": [{ "physicalLocation": self.physical(&diagnostic.location) }],
        });
        if let Some(&index) = rule_index.get(diagnostic.code.as_str()) {
            result["ruleIndex"] = json!(index);
        }
        if !diagnostic.related.is_empty() {
            let related: Vec<Value> = diagnostic
                .related
                .iter()
                .enumerate()
                .map(|(id, related)| {
                    json!({
                        "id": id,
                        "physicalLocation": self.physical(&related.location),
                        "message": { "text": related.message },
                    })
                })
                .collect();
            result["relatedLocations"] = json!(related);
        }
        if let Some(fix) = &diagnostic.fix {
            result["fixes"] = json!([self.fix(&diagnostic.location.path, fix)]);
        }
        let mut properties = json!({ "rule": diagnostic.rule });
        if let Some(help) = &diagnostic.help {
            properties["help"] = json!(help);
        }
        result["properties"] = properties;
        result
    }

    fn fix(&mut self, path: &str, fix: &Fix) -> Value {
        let replacements: Vec<Value> = fix
            .edits
            .iter()
            .map(|edit| self.replacement(path, edit))
            .collect();
        json!({
            "description": { "text": fix.message },
            "artifactChanges": [{ "artifactLocation": self.artifact(path), "replacements": replacements }],
            "properties": { "applicability": match fix.applicability {
                Applicability::Safe => "safe",
                Applicability::Unsafe => "unsafe",
            } },
        })
    }

    fn replacement(&mut self, path: &str, edit: &Edit) -> Value {
        let deleted = match self.index(path) {
            Some((source, index)) if is_valid_range(source, edit.range) => {
                let start = utf16_position(source, index, index.line_col(edit.range.start));
                let end = utf16_position(source, index, index.line_col(edit.range.end));
                region(start, end)
            }
            _ => json!({ "byteOffset": edit.range.start, "byteLength": edit.range.len() }),
        };
        json!({ "deletedRegion": deleted, "insertedContent": { "text": edit.content } })
    }

    fn physical(&mut self, location: &Location) -> Value {
        let (start, end) = match self.index(&location.path) {
            Some((source, index)) if is_valid_range(source, location.range) => (
                utf16_position(source, index, location.start),
                utf16_position(source, index, location.end),
            ),
            _ => (location.start, location.end),
        };
        json!({ "artifactLocation": self.artifact(&location.path), "region": region(start, end) })
    }

    fn artifact(&self, path: &str) -> Value {
        let (uri, relative) = path_uri(path);
        if relative && self.options.src_root.is_some() {
            json!({ "uri": uri, "uriBaseId": SRCROOT })
        } else {
            json!({ "uri": uri })
        }
    }

    /// The file's text and line index, if its text is available.
    fn index(&mut self, path: &str) -> Option<(&str, &LineIndex)> {
        let source = self.sources.source(path)?;
        let index = self
            .indexes
            .entry(path.to_owned())
            .or_insert_with(|| Some(LineIndex::new(source)))
            .as_ref()?;
        Some((source, index))
    }
}

fn region(start: LineCol, end: LineCol) -> Value {
    json!({
        "startLine": start.line.max(1),
        "startColumn": start.column.max(1),
        "endLine": end.line.max(start.line).max(1),
        "endColumn": end.column.max(1),
    })
}

/// The position with its column counted in UTF-16 code units instead of bytes.
fn utf16_position(source: &str, index: &LineIndex, position: LineCol) -> LineCol {
    let Some(line) = index.line_range(position.line) else {
        return position;
    };
    let end = (line.start + position.column.saturating_sub(1)).min(line.end) as usize;
    match source.get(line.start as usize..end) {
        Some(prefix) => LineCol::new(position.line, prefix.encode_utf16().count() as u32 + 1),
        None => position,
    }
}

fn is_valid_range(source: &str, range: TextRange) -> bool {
    range.start <= range.end
        && (range.end as usize) <= source.len()
        && source.is_char_boundary(range.start as usize)
        && source.is_char_boundary(range.end as usize)
}

/// Characters kept as they are in URI paths; everything else is percent-encoded.
const PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// A displayed path as a URI reference, and whether it is relative.
fn path_uri(path: &str) -> (String, bool) {
    let path = if cfg!(windows) {
        path.replace('\\', "/")
    } else {
        path.to_owned()
    };
    if path.starts_with('/') {
        (
            format!("file://{}", utf8_percent_encode(&path, PATH)),
            false,
        )
    } else if is_windows_absolute(&path) {
        let (drive, rest) = path.split_at(2);
        (
            format!("file:///{drive}{}", utf8_percent_encode(rest, PATH)),
            false,
        )
    } else {
        (utf8_percent_encode(&path, PATH).to_string(), true)
    }
}

fn is_windows_absolute(path: &str) -> bool {
    let bytes = path.as_bytes();
    bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/'
}

/// A directory as a `file:` URI ending in `/`.
fn directory_uri(directory: &Path) -> String {
    let (mut uri, relative) = path_uri(&directory.to_string_lossy());
    if relative {
        uri = format!("file:///{uri}");
    }
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}
