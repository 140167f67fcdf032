//! Printing map escapes: compiler-style text with the source line and the explanation chain, or
//! versioned JSON (schema in docs/commands/escape.md).

use std::io::Write;

use mapguard_gotool::{Escape, EscapeKind, EscapeReport, Flow};
use serde::Serialize;

use super::join::{MapEscape, MapRole};

/// The verdict as the compiler words it.
fn verdict_text(escape: &Escape) -> String {
    let subject = &escape.subject;
    let detail = escape
        .detail
        .as_deref()
        .map(|d| format!(" {d}"))
        .unwrap_or_default();
    match escape.kind {
        EscapeKind::EscapesToHeap => format!("{subject} escapes to heap"),
        EscapeKind::DoesNotEscape => format!("{subject} does not escape"),
        EscapeKind::MovedToHeap => format!("moved to heap: {subject}"),
        EscapeKind::LeakingParam => format!("leaking param: {subject}{detail}"),
        EscapeKind::LeakingParamContent => format!("leaking param content: {subject}{detail}"),
        EscapeKind::CapturedByValue => format!("closure captures {subject} by value"),
        EscapeKind::CapturedByRef => format!("closure captures {subject} by reference"),
    }
}

fn role_text(role: MapRole) -> &'static str {
    match role {
        MapRole::Make => "map made with make",
        MapRole::Literal => "map literal",
        MapRole::Variable => "map variable",
        MapRole::Key => "stored as a map key",
        MapRole::Value => "stored as a map value",
    }
}

pub(super) fn print_text(findings: &[MapEscape<'_>], errors: &[String]) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for finding in findings {
        let escape = finding.escape;
        let mut notes = vec![role_text(finding.role).to_string()];
        if let Some(ty) = &finding.map_type {
            notes.push(ty.clone());
        }
        if finding.captured {
            notes.push("captured by a closure".to_string());
        }
        if let Some(function) = &escape.function {
            notes.push(format!("in {function}"));
        }
        writeln!(
            out,
            "{}:{}:{}: {} [{}]",
            finding.path,
            escape.position.line,
            escape.position.column,
            verdict_text(escape),
            notes.join(", ")
        )?;
        if let Some(line) = &finding.line_text {
            let number = escape.position.line.to_string();
            let gutter = " ".repeat(number.len());
            writeln!(out, " {number} | {line}")?;
            let caret: String = line
                .chars()
                .take(escape.position.column.saturating_sub(1) as usize)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(out, " {gutter} | {caret}^")?;
        }
        for flow in &escape.flows {
            writeln!(out, "    flow: {} ← {}", flow.to, flow.from)?;
            for step in &flow.steps {
                match &step.at {
                    Some(at) => {
                        writeln!(out, "      from {} ({}) at {at}", step.expr, step.reason)?
                    }
                    None => writeln!(out, "      from {} ({})", step.expr, step.reason)?,
                }
            }
        }
    }
    let heap = findings.iter().filter(|f| f.on_heap()).count();
    writeln!(
        out,
        "{} map escape verdict{}: {heap} on the heap, {} on the stack.",
        findings.len(),
        if findings.len() == 1 { "" } else { "s" },
        findings.len() - heap
    )?;
    out.flush()?;
    print_errors(errors);
    Ok(())
}

#[allow(clippy::print_stderr)]
fn print_errors(errors: &[String]) {
    for error in errors {
        eprintln!("mapguard: {error}");
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    packages: &'a [String],
    escapes: Vec<JsonEscape<'a>>,
    summary: Summary,
    errors: &'a [String],
}

#[derive(Serialize)]
struct Summary {
    map_verdicts: usize,
    on_heap: usize,
    on_stack: usize,
}

#[derive(Serialize)]
struct JsonEscape<'a> {
    path: &'a str,
    line: u32,
    column: u32,
    verdict: EscapeKind,
    message: String,
    subject: &'a str,
    detail: Option<&'a str>,
    function: Option<&'a str>,
    package: Option<&'a str>,
    map_role: MapRole,
    map_type: Option<&'a str>,
    captured: bool,
    on_heap: bool,
    source_line: Option<&'a str>,
    flows: &'a [Flow],
}

pub(super) fn print_json(
    report: &EscapeReport,
    findings: &[MapEscape<'_>],
    errors: &[String],
) -> anyhow::Result<()> {
    let heap = findings.iter().filter(|f| f.on_heap()).count();
    let json = JsonReport {
        version: 1,
        packages: &report.packages,
        escapes: findings
            .iter()
            .map(|f| JsonEscape {
                path: &f.path,
                line: f.escape.position.line,
                column: f.escape.position.column,
                verdict: f.escape.kind,
                message: verdict_text(f.escape),
                subject: &f.escape.subject,
                detail: f.escape.detail.as_deref(),
                function: f.escape.function.as_deref(),
                package: f.escape.package.as_deref(),
                map_role: f.role,
                map_type: f.map_type.as_deref(),
                captured: f.captured,
                on_heap: f.on_heap(),
                source_line: f.line_text.as_deref(),
                flows: &f.escape.flows,
            })
            .collect(),
        summary: Summary {
            map_verdicts: findings.len(),
            on_heap: heap,
            on_stack: findings.len() - heap,
        },
        errors,
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    serde_json::to_writer_pretty(&mut out, &json)?;
    writeln!(out)?;
    print_errors(errors);
    Ok(())
}
