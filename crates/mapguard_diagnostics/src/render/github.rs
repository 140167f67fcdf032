//! GitHub Actions workflow commands: one annotation per finding on the pull request's diff
//! (see `docs/output/github.md`).
//!
//! ```text
//! ::notice file=internal/cache/cache.go,line=12,endLine=14,col=2,endColumn=3,title=MG301::map `c.items` is cleared by a delete loop
//! ```

use std::io::{self, Write};

use crate::render::Report;
use crate::{Diagnostic, InputError, Severity};

/// Writes one workflow command per finding, then one per input error.
pub fn render(out: &mut dyn Write, report: &Report<'_>) -> io::Result<()> {
    for diagnostic in report.diagnostics {
        render_diagnostic(out, diagnostic)?;
    }
    for error in report.errors {
        render_error(out, error)?;
    }
    Ok(())
}

/// `::error file=…,line=…,endLine=…,col=…,endColumn=…,title=CODE::message`, with the help and
/// related locations on following (escaped) lines of the message.
pub fn render_diagnostic(out: &mut dyn Write, diagnostic: &Diagnostic) -> io::Result<()> {
    let location = &diagnostic.location;
    let mut message = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    if let Some(fix) = &diagnostic.fix {
        message.push_str("\nfix: ");
        message.push_str(&fix.message);
    }
    for related in &diagnostic.related {
        let at = &related.location;
        message.push_str(&format!(
            "\nnote: {}:{}:{}: {}",
            at.path, at.start.line, at.start.column, related.message
        ));
    }
    writeln!(
        out,
        "::{} file={},line={},endLine={},col={},endColumn={},title={}::{}",
        command(diagnostic.severity),
        escape_property(&location.path),
        location.start.line,
        location.end.line,
        location.start.column,
        location.end.column,
        escape_property(&diagnostic.code),
        escape_data(&message),
    )
}

/// `::error file=path::message` for an input that could not be checked.
pub fn render_error(out: &mut dyn Write, error: &InputError) -> io::Result<()> {
    writeln!(
        out,
        "::error file={}::{}",
        escape_property(&error.path),
        escape_data(&error.message)
    )
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// Escapes a command's message: `%`, `\r` and `\n`.
pub fn escape_data(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => escaped.push_str("%25"),
            '\r' => escaped.push_str("%0D"),
            '\n' => escaped.push_str("%0A"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// Escapes a property value: as [`escape_data`], plus `:` and `,`.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_percent_first_and_separators_in_properties() {
        assert_eq!(escape_data("100%\r\nok: a,b"), "100%25%0D%0Aok: a,b");
        assert_eq!(escape_property("C:\\a,b%.go"), "C%3A\\a%2Cb%25.go");
        assert_eq!(escape_property("%3A"), "%253A");
    }
}
