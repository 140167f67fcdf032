//! Human-readable output, as the Go toolchain prints findings, with rustc/ruff-style code frames:
//!
//! ```text
//! internal/cache/cache.go:12:2: MG301 map `c.items` is cleared by a delete loop
//!    |
//! 12 | /     for k := range c.items {
//! 13 | |         delete(c.items, k)
//! 14 | |     }
//!    | |_____^
//!    |
//! help: Replace the loop with `clear(c.items)` (safe fix)
//!    |
//! 12 -     for k := range c.items {
//! 13 -         delete(c.items, k)
//! 14 -     }
//! 12 +     clear(c.items)
//!    |
//! ```
//!
//! The header line alone is what editors and `go vet`-aware tools parse; the frame, help, related
//! locations and suggested fix follow it. Sources come from a [`SourceProvider`]; a file whose text
//! is missing (or no longer matches the location) gets the header line only.

use std::io::{self, Write};

use annotate_snippets::renderer::{
    DEFAULT_ERROR_STYLE, DEFAULT_INFO_STYLE, DEFAULT_WARNING_STYLE, DecorStyle, Style,
};
use annotate_snippets::{AnnotationKind, Element, Group, Level, Patch, Renderer, Snippet};

use crate::render::Report;
use crate::{
    Applicability, Diagnostic, Fix, InputError, Location, Severity, SourceProvider, Summary,
    TextRange,
};

/// How text output looks. The binary decides colour (a terminal, `NO_COLOR`, `--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextOptions {
    /// Emit ANSI colours.
    pub color: bool,
    /// Print code frames under each header line (off: one line per finding, like `go vet`).
    pub show_source: bool,
    /// Print each fix as a diff under the frame.
    pub show_fixes: bool,
    /// Draw frames with Unicode box characters instead of ASCII.
    pub unicode: bool,
}

impl Default for TextOptions {
    /// No colour, frames and fixes shown, ASCII decoration.
    fn default() -> Self {
        Self {
            color: false,
            show_source: true,
            show_fixes: true,
            unicode: false,
        }
    }
}

/// Writes every finding, then every input error, then the summary line.
pub fn render(
    out: &mut dyn Write,
    report: &Report<'_>,
    sources: &dyn SourceProvider,
    options: &TextOptions,
) -> io::Result<()> {
    for diagnostic in report.diagnostics {
        render_diagnostic(out, diagnostic, sources, options)?;
    }
    for error in report.errors {
        render_error(out, error, options)?;
    }
    render_summary(
        out,
        &Summary::new(report.diagnostics, report.errors),
        options,
    )
}

/// Writes one finding: `path:line:col: CODE message`, then (if enabled and the source is
/// available) its code frame, help, related locations and fix.
pub fn render_diagnostic(
    out: &mut dyn Write,
    diagnostic: &Diagnostic,
    sources: &dyn SourceProvider,
    options: &TextOptions,
) -> io::Result<()> {
    let location = &diagnostic.location;
    let styles = Styles::new(options.color);
    let position = format!(
        "{}:{}:{}:",
        location.path, location.start.line, location.start.column
    );
    writeln!(
        out,
        "{} {} {}",
        Paint(styles.path, &position),
        Paint(styles.severity(diagnostic.severity), &diagnostic.code),
        diagnostic.message
    )?;
    if !options.show_source {
        return Ok(());
    }
    let groups = frame_groups(diagnostic, sources, options);
    if groups.is_empty() {
        return Ok(());
    }
    let renderer = if options.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let renderer = renderer.decor_style(if options.unicode {
        DecorStyle::Unicode
    } else {
        DecorStyle::Ascii
    });
    writeln!(out, "{}", renderer.render(&groups))?;
    writeln!(out)
}

/// Writes one input error: `path: message`.
pub fn render_error(
    out: &mut dyn Write,
    error: &InputError,
    options: &TextOptions,
) -> io::Result<()> {
    let styles = Styles::new(options.color);
    writeln!(
        out,
        "{}: {}",
        Paint(styles.path, &error.path),
        error.message
    )
}

/// Writes the closing line: `Found 3 findings (2 fixable with --fix).`, `No findings.`, plus how
/// many inputs could not be checked.
pub fn render_summary(
    out: &mut dyn Write,
    summary: &Summary,
    options: &TextOptions,
) -> io::Result<()> {
    let styles = Styles::new(options.color);
    if summary.findings == 0 {
        write!(out, "{}", Paint(styles.emphasis, "No findings."))?;
    } else {
        let findings = plural(summary.findings, "finding", "findings");
        write!(
            out,
            "{}",
            Paint(styles.emphasis, &format!("Found {findings}"))
        )?;
        let mut fixable = Vec::new();
        if summary.safe_fixes > 0 {
            fixable.push(format!("{} fixable with `--fix`", summary.safe_fixes));
        }
        if summary.unsafe_fixes > 0 {
            fixable.push(format!("{} with `--unsafe-fixes`", summary.unsafe_fixes));
        }
        if !fixable.is_empty() {
            write!(out, " ({})", fixable.join(", "))?;
        }
        write!(out, ".")?;
    }
    if summary.errors > 0 {
        let inputs = plural(summary.errors, "input", "inputs");
        write!(
            out,
            " {} could not be checked.",
            Paint(styles.error, &inputs)
        )?;
    }
    writeln!(out)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Frames, help and notes for one finding; empty when there is nothing beyond the header.
fn frame_groups<'a>(
    diagnostic: &'a Diagnostic,
    sources: &'a dyn SourceProvider,
    options: &TextOptions,
) -> Vec<Group<'a>> {
    let location = &diagnostic.location;
    let level = level(diagnostic.severity);
    let source = sources
        .source(&location.path)
        .filter(|source| is_valid_range(source, location.range));
    let mut elements: Vec<Element<'a>> = Vec::new();
    let mut notes: Vec<Element<'a>> = Vec::new();

    if let Some(source) = source {
        // Related places close to the finding share its frame; others get their own.
        let mut in_frame = vec![(location, None::<&str>)];
        let mut elsewhere = Vec::new();
        for related in &diagnostic.related {
            let close = related.location.path == location.path
                && is_valid_range(source, related.location.range)
                && related.location.start.line + FRAME_GAP >= location.start.line
                && related.location.end.line <= location.end.line + FRAME_GAP;
            if close {
                in_frame.push((&related.location, Some(related.message.as_str())));
            } else {
                elsewhere.push(related);
            }
        }
        elements.push(snippet(source, None, &in_frame).into());
        for related in elsewhere {
            match sources
                .source(&related.location.path)
                .filter(|s| is_valid_range(s, related.location.range))
            {
                Some(other) => elements.push(
                    snippet(
                        other,
                        Some(&related.location.path),
                        &[(&related.location, Some(&related.message))],
                    )
                    .into(),
                ),
                None => notes.push(
                    Level::NOTE
                        .message(related_note(&related.location, &related.message))
                        .into(),
                ),
            }
        }
    } else {
        for related in &diagnostic.related {
            notes.push(
                Level::NOTE
                    .message(related_note(&related.location, &related.message))
                    .into(),
            );
        }
    }
    if let Some(help) = &diagnostic.help {
        elements.push(Level::HELP.message(help.as_str()).into());
    }
    elements.extend(notes);

    let mut groups = Vec::new();
    if source.is_some() || elements.iter().any(|e| matches!(e, Element::Message(_))) {
        groups.push(Group::with_level(level).elements(elements));
    }
    if let Some(fix) = &diagnostic.fix {
        groups.push(fix_group(fix, location, source, options));
    }
    groups
}

/// Related places at most this many lines away from the finding are drawn in its frame.
const FRAME_GAP: u32 = 5;

fn related_note(location: &Location, message: &str) -> String {
    format!(
        "{}:{}:{}: {}",
        location.path, location.start.line, location.start.column, message
    )
}

/// A snippet of the lines covered by `spans`, the first of which is primary.
fn snippet<'a>(
    source: &'a str,
    path: Option<&'a str>,
    spans: &[(&Location, Option<&'a str>)],
) -> Snippet<'a, annotate_snippets::Annotation<'a>> {
    let covered = spans.iter().map(|(location, _)| location.range);
    let window = line_window(source, covered.clone());
    let first_line = spans
        .iter()
        .min_by_key(|(location, _)| location.range.start)
        .map_or(1, |(location, _)| location.start.line);
    let mut snippet = Snippet::source(&source[window.to_usize()]).line_start(first_line as usize);
    if let Some(path) = path {
        snippet = snippet.path(path);
    }
    for (i, (location, label)) in spans.iter().enumerate() {
        let kind = if i == 0 {
            AnnotationKind::Primary
        } else {
            AnnotationKind::Context
        };
        let span = (location.range.start - window.start) as usize
            ..(location.range.end - window.start) as usize;
        let mut annotation = kind.span(span);
        if let Some(label) = label {
            annotation = annotation.label(*label);
        }
        snippet = snippet.annotation(annotation);
    }
    snippet
}

/// `help: <fix message> (safe fix)` with the edits as a diff when the source is at hand.
fn fix_group<'a>(
    fix: &'a Fix,
    location: &Location,
    source: Option<&'a str>,
    options: &TextOptions,
) -> Group<'a> {
    let safety = match fix.applicability {
        Applicability::Safe => "safe fix",
        Applicability::Unsafe => "unsafe fix",
    };
    let title =
        Group::with_title(Level::HELP.secondary_title(format!("{} ({safety})", fix.message)));
    let Some(source) = source.filter(|source| {
        options.show_fixes
            && !fix.edits.is_empty()
            && fix
                .edits
                .iter()
                .all(|edit| is_valid_range(source, edit.range))
    }) else {
        return title;
    };
    let window = line_window(source, fix.edits.iter().map(|edit| edit.range));
    let first_line = line_of(source, window.start, location);
    let patches = fix.edits.iter().map(|edit| {
        let span =
            (edit.range.start - window.start) as usize..(edit.range.end - window.start) as usize;
        Patch::new(span, edit.content.as_str())
    });
    title.element(
        Snippet::source(&source[window.to_usize()])
            .line_start(first_line)
            .patches(patches),
    )
}

/// The line of `offset`, counted from a known location's line (edits are near their finding, so
/// this scans little of the file).
fn line_of(source: &str, offset: u32, known: &Location) -> usize {
    let known_line = known.start.line as usize;
    let known_offset = known.range.start.min(source.len() as u32);
    let newlines = |from: u32, to: u32| {
        source.as_bytes()[from as usize..to as usize]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
    };
    if offset >= known_offset {
        known_line + newlines(known_offset, offset)
    } else {
        known_line
            .saturating_sub(newlines(offset, known_offset))
            .max(1)
    }
}

/// The whole lines that contain every range (without the final newline).
fn line_window(source: &str, ranges: impl Iterator<Item = TextRange>) -> TextRange {
    let (mut start, mut end) = (u32::MAX, 0);
    for range in ranges {
        start = start.min(range.start);
        end = end.max(range.end);
    }
    if start > end {
        return TextRange::empty(0);
    }
    let bytes = source.as_bytes();
    let line_start = bytes[..start as usize]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    // A range ending just after a newline ends on that line; don't show the next one.
    let end = if end > start && bytes[end as usize - 1] == b'\n' {
        end - 1
    } else {
        end
    };
    let mut line_end = bytes[end as usize..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| end as usize + i);
    // The `\r` of a CRLF line ending is not part of the line (the frame would show it as `␍`).
    if line_end > end as usize && bytes[line_end - 1] == b'\r' {
        line_end -= 1;
    }
    TextRange::new(line_start as u32, line_end as u32)
}

fn is_valid_range(source: &str, range: TextRange) -> bool {
    range.start <= range.end
        && (range.end as usize) <= source.len()
        && source.is_char_boundary(range.start as usize)
        && source.is_char_boundary(range.end as usize)
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    }
}

/// Styles for the parts this module colours itself (frames are coloured by annotate-snippets).
struct Styles {
    path: Style,
    emphasis: Style,
    error: Style,
    warning: Style,
    info: Style,
}

impl Styles {
    fn new(color: bool) -> Self {
        if color {
            Self {
                path: Style::new().bold(),
                emphasis: Style::new().bold(),
                error: DEFAULT_ERROR_STYLE,
                warning: DEFAULT_WARNING_STYLE,
                info: DEFAULT_INFO_STYLE,
            }
        } else {
            let plain = Style::new();
            Self {
                path: plain,
                emphasis: plain,
                error: plain,
                warning: plain,
                info: plain,
            }
        }
    }

    fn severity(&self, severity: Severity) -> Style {
        match severity {
            Severity::Error => self.error,
            Severity::Warning => self.warning,
            Severity::Info => self.info,
        }
    }
}

/// Text wrapped in a style's escape codes (nothing for the plain style).
struct Paint<'a>(Style, &'a str);

impl std::fmt::Display for Paint<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}{}", self.0.render(), self.1, self.0.render_reset())
    }
}
