//! The two output shapes of a unitchecker tool: plain `file:line:col: message` lines on stderr,
//! and the `-json` tree `{unit ID: {analyzer: [diagnostic…] | {"error": …}}}`.

use std::collections::BTreeMap;
use std::io::Write;

use mapguard_diagnostics::{Diagnostic, Location};
use serde::Serialize;

use super::unit::UnitResult;

/// The analyzer name errors are reported under; findings go under their rule's name.
const TOOL: &str = "mapguard";

#[derive(Serialize)]
#[serde(untagged)]
enum Entry {
    Diagnostics(Vec<JsonDiagnostic>),
    Error { error: String },
}

#[derive(Serialize)]
struct JsonDiagnostic {
    category: String,
    posn: String,
    end: String,
    message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suggested_fixes: Vec<JsonFix>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<JsonRelated>,
}

#[derive(Serialize)]
struct JsonFix {
    message: String,
    edits: Vec<JsonEdit>,
}

#[derive(Serialize)]
struct JsonEdit {
    filename: String,
    start: u32,
    end: u32,
    new: String,
}

#[derive(Serialize)]
struct JsonRelated {
    posn: String,
    end: String,
    message: String,
}

/// `CODE message`: go vet prints only the message, so it carries the rule code.
fn message(diagnostic: &Diagnostic) -> String {
    format!("{} {}", diagnostic.code, diagnostic.message)
}

fn start(location: &Location) -> String {
    format!(
        "{}:{}:{}",
        location.path, location.start.line, location.start.column
    )
}

fn end(location: &Location) -> String {
    format!(
        "{}:{}:{}",
        location.path, location.end.line, location.end.column
    )
}

pub(super) fn write_json(
    out: &mut dyn Write,
    id: &str,
    result: &UnitResult,
) -> std::io::Result<()> {
    let mut analyzers: BTreeMap<String, Entry> = BTreeMap::new();
    if !result.errors.is_empty() {
        analyzers.insert(
            TOOL.to_string(),
            Entry::Error {
                error: result.errors.join("; "),
            },
        );
    }
    for diagnostic in &result.diagnostics {
        let entry = analyzers
            .entry(diagnostic.rule.clone())
            .or_insert_with(|| Entry::Diagnostics(Vec::new()));
        let Entry::Diagnostics(list) = entry else {
            continue;
        };
        list.push(JsonDiagnostic {
            category: diagnostic.code.clone(),
            posn: start(&diagnostic.location),
            end: end(&diagnostic.location),
            message: message(diagnostic),
            suggested_fixes: diagnostic
                .fix
                .iter()
                .map(|fix| JsonFix {
                    message: fix.message.clone(),
                    edits: fix
                        .edits
                        .iter()
                        .map(|edit| JsonEdit {
                            filename: diagnostic.location.path.clone(),
                            start: edit.range.start,
                            end: edit.range.end,
                            new: edit.content.clone(),
                        })
                        .collect(),
                })
                .collect(),
            related: diagnostic
                .related
                .iter()
                .map(|r| JsonRelated {
                    posn: start(&r.location),
                    end: end(&r.location),
                    message: r.message.clone(),
                })
                .collect(),
        });
    }
    if analyzers.is_empty() {
        return Ok(());
    }
    let tree = BTreeMap::from([(id, analyzers)]);
    let mut text = serde_json::to_string_pretty(&tree).map_err(std::io::Error::other)?;
    text.push('\n');
    out.write_all(text.as_bytes())
}

/// Plain mode, as `analysisflags.PrintPlain`: each finding and each related location on its
/// own line, with `context` lines around it when `context >= 0`.
pub(super) fn print_plain(result: &UnitResult, context: i64) -> std::io::Result<()> {
    let stderr = std::io::stderr();
    let mut out = stderr.lock();
    for error in &result.errors {
        writeln!(out, "{TOOL}: {error}")?;
    }
    for diagnostic in &result.diagnostics {
        print_one(
            &mut out,
            &diagnostic.location,
            &message(diagnostic),
            context,
        )?;
        for related in &diagnostic.related {
            let text = format!("\t{}", related.message);
            print_one(&mut out, &related.location, &text, context)?;
        }
    }
    Ok(())
}

fn print_one(
    out: &mut dyn Write,
    location: &Location,
    text: &str,
    context: i64,
) -> std::io::Result<()> {
    writeln!(out, "{}: {text}", start(location))?;
    if context < 0 {
        return Ok(());
    }
    let source = std::fs::read_to_string(&location.path).unwrap_or_default();
    let lines: Vec<&str> = source.split('\n').collect();
    let first = i64::from(location.start.line) - context;
    let last = i64::from(location.end.line.max(location.start.line)) + context;
    for number in first.max(1)..=last.min(lines.len() as i64) {
        let line = usize::try_from(number - 1).unwrap_or(0);
        writeln!(out, "{number}\t{}", lines[line])?;
    }
    Ok(())
}
