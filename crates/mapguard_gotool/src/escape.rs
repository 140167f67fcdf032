//! The compiler's escape-analysis diagnostics (`go build -gcflags=-m=2`), with the explanation
//! chains `-m=2` prints before each verdict:
//!
//! ```text
//! ./esc.go:32:11: make(map[string]int, 8) escapes to heap in Moved:
//! ./esc.go:32:11:   flow: m ← &{storage for make(map[string]int, 8)}:
//! ./esc.go:32:11:     from make(map[string]int, 8) (spill) at ./esc.go:32:11
//! ./esc.go:32:11:     from m := make(map[string]int, 8) (assign) at ./esc.go:32:4
//! ./esc.go:32:2: moved to heap: m
//! ./esc.go:32:11: make(map[string]int, 8) escapes to heap
//! ```
//!
//! Explanations are joined to the verdict at the same position about the same subject. Other
//! compiler output (`can inline`, `inlining call to`, errors) is skipped.

use serde::Serialize;

/// A `file:line:column` as the compiler printed it (the file as written: often `./x.go`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Position {
    pub file: String,
    pub line: u32,
    pub column: u32,
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// What the compiler decided about one value, variable or parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EscapeKind {
    /// `X escapes to heap`: the allocation is made on the heap.
    EscapesToHeap,
    /// `X does not escape`: the allocation (or what a parameter points to) stays on the stack.
    DoesNotEscape,
    /// `moved to heap: x`: a variable lives on the heap.
    MovedToHeap,
    /// `leaking param: x` (possibly `to result ~r0 level=0`).
    LeakingParam,
    /// `leaking param content: x`: what the parameter points to leaks.
    LeakingParamContent,
    /// `F capturing by value: x (…)`: a closure copies `x`.
    CapturedByValue,
    /// `F capturing by ref: x (…)`: a closure shares `x`.
    CapturedByRef,
}

/// One step of a flow: `from EXPR (REASON) at POS`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlowStep {
    pub expr: String,
    /// The compiler's reason: `assign`, `spill`, `return`, `captured by a closure`,
    /// `key of map put`, `value of map put`, `call parameter`, …
    pub reason: String,
    pub at: Option<Position>,
}

/// `flow: TO ← FROM:` and the steps that explain it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flow {
    pub to: String,
    pub from: String,
    pub steps: Vec<FlowStep>,
}

/// One verdict, with its explanation when `-m=2` gave one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Escape {
    pub position: Position,
    pub kind: EscapeKind,
    /// The expression or name the verdict is about: `make(map[string]int)`, `m`, `map[int]int{}`.
    pub subject: String,
    /// Text after the subject: `to result ~r0 level=0`, `(addr=false assign=false width=8)`.
    pub detail: Option<String>,
    /// The function named by the explanation (`… escapes to heap in F:`) or the capture.
    pub function: Option<String>,
    /// The package of the `# import/path` header above it.
    pub package: Option<String>,
    pub flows: Vec<Flow>,
}

/// Everything recognised in one compiler output.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EscapeReport {
    pub escapes: Vec<Escape>,
    /// Packages from `# import/path` headers, in order.
    pub packages: Vec<String>,
    /// Positioned lines that were neither escape analysis nor known chatter (e.g. compile errors).
    pub other: Vec<(Position, String)>,
}

/// An explanation block waiting for its verdict.
struct Explanation {
    position: Position,
    subject: String,
    function: Option<String>,
    flows: Vec<Flow>,
}

/// Parses `go build -gcflags=-m=2` (or `-m`) output. Never fails: what it does not recognise it
/// skips (positioned lines land in [`EscapeReport::other`]).
pub fn parse_escape_output(text: &str) -> EscapeReport {
    let mut report = EscapeReport::default();
    let mut package: Option<String> = None;
    let mut explanations: Vec<Explanation> = Vec::new();
    for raw in text.lines() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(header) = line.strip_prefix("# ") {
            let name = header.trim().to_string();
            report.packages.push(name.clone());
            package = Some(name);
            explanations.clear();
            continue;
        }
        let Some((position, message)) = split_position(line) else {
            continue;
        };
        if let Some(step) = message.strip_prefix("    from ") {
            if let Some(flow) = explanations.last_mut().and_then(|e| e.flows.last_mut()) {
                flow.steps.push(parse_step(step));
            }
            continue;
        }
        if let Some(flow) = message.strip_prefix("  flow: ") {
            if let Some(explanation) = explanations.last_mut() {
                explanation.flows.push(parse_flow(flow));
            }
            continue;
        }
        if let Some(explanation) = parse_explanation_header(&position, message) {
            explanations.push(explanation);
            continue;
        }
        match parse_verdict(message) {
            Some((kind, subject, detail, function)) => {
                let mut escape = Escape {
                    position,
                    kind,
                    subject,
                    detail,
                    function,
                    package: package.clone(),
                    flows: Vec::new(),
                };
                attach_explanations(&mut escape, &mut explanations);
                report.escapes.push(escape);
            }
            None if is_chatter(message) => {}
            None => report.other.push((position, message.to_string())),
        }
    }
    report
}

fn attach_explanations(escape: &mut Escape, explanations: &mut Vec<Explanation>) {
    let mut index = 0;
    while index < explanations.len() {
        let e = &explanations[index];
        if e.position == escape.position && e.subject == escape.subject {
            let e = explanations.remove(index);
            escape.flows.extend(e.flows);
            if escape.function.is_none() {
                escape.function = e.function;
            }
        } else {
            index += 1;
        }
    }
}

/// `PATH:LINE:COL: MESSAGE` → position and message. The path may itself contain colons, so the
/// first `:digits:digits: ` wins.
fn split_position(line: &str) -> Option<(Position, &str)> {
    let bytes = line.as_bytes();
    let mut search = 0;
    while let Some(found) = line[search..].find(':') {
        let colon = search + found;
        search = colon + 1;
        if colon == 0 {
            continue;
        }
        let Some((line_no, after_line)) = digits(bytes, colon + 1) else {
            continue;
        };
        if bytes.get(after_line) != Some(&b':') {
            continue;
        }
        let Some((column, after_column)) = digits(bytes, after_line + 1) else {
            continue;
        };
        if bytes.get(after_column) != Some(&b':') {
            continue;
        }
        let message = line[after_column + 1..]
            .strip_prefix(' ')
            .unwrap_or(&line[after_column + 1..]);
        let position = Position {
            file: line[..colon].to_string(),
            line: line_no,
            column,
        };
        return Some((position, message));
    }
    None
}

/// A run of ASCII digits at `start` as a u32, and the index after it.
fn digits(bytes: &[u8], start: usize) -> Option<(u32, usize)> {
    let end = bytes[start.min(bytes.len())..]
        .iter()
        .position(|b| !b.is_ascii_digit())
        .map_or(bytes.len(), |n| start + n);
    if end == start || end - start > 9 {
        return None;
    }
    let text = std::str::from_utf8(&bytes[start..end]).ok()?;
    Some((text.parse().ok()?, end))
}

/// A position written inside a message: `./esc.go:19:8` (the whole string).
fn parse_inner_position(text: &str) -> Option<Position> {
    let (file, rest) = text.rsplit_once(':')?;
    let (file, line) = file.rsplit_once(':')?;
    Some(Position {
        file: file.to_string(),
        line: line.parse().ok()?,
        column: rest.parse().ok()?,
    })
}

/// `EXPR (REASON) at POS`; the reason is the last balanced parenthesised group before ` at `.
fn parse_step(step: &str) -> FlowStep {
    let (body, at) = match step.rsplit_once(" at ") {
        Some((body, at)) => match parse_inner_position(at) {
            Some(position) => (body, Some(position)),
            None => (step, None),
        },
        None => (step, None),
    };
    let (expr, reason) = split_trailing_group(body);
    FlowStep {
        expr: expr.to_string(),
        reason: reason.unwrap_or_default().to_string(),
        at,
    }
}

/// `text (group)` → (`text`, Some(`group`)), respecting nested parentheses.
fn split_trailing_group(text: &str) -> (&str, Option<&str>) {
    let Some(inner_end) = text.strip_suffix(')').map(str::len) else {
        return (text, None);
    };
    let mut depth = 0usize;
    for (index, ch) in text[..inner_end].char_indices().rev() {
        match ch {
            ')' => depth += 1,
            '(' if depth == 0 => {
                let expr = text[..index].trim_end();
                return (expr, Some(&text[index + 1..inner_end]));
            }
            '(' => depth -= 1,
            _ => {}
        }
    }
    (text, None)
}

/// `TO ← FROM:` (Go ≥ 1.22 prints `←`; older compilers printed `=`).
fn parse_flow(flow: &str) -> Flow {
    let flow = flow.strip_suffix(':').unwrap_or(flow);
    let (to, from) = flow
        .split_once(" ← ")
        .or_else(|| flow.split_once(" <- "))
        .or_else(|| flow.split_once(" = "))
        .unwrap_or((flow, ""));
    Flow {
        to: to.trim().to_string(),
        from: from.trim().to_string(),
        steps: Vec::new(),
    }
}

/// `X escapes to heap in F:` or `parameter k leaks to SINK for F with derefs=N:`.
fn parse_explanation_header(position: &Position, message: &str) -> Option<Explanation> {
    let body = message.strip_suffix(':')?;
    if let Some((subject, function)) = body.rsplit_once(" escapes to heap in ") {
        return Some(Explanation {
            position: position.clone(),
            subject: subject.to_string(),
            function: Some(function.to_string()),
            flows: Vec::new(),
        });
    }
    let rest = body.strip_prefix("parameter ")?;
    let (subject, sink) = rest.split_once(" leaks to ")?;
    let function = sink
        .rsplit_once(" for ")
        .map(|(_, f)| f.split(" with ").next().unwrap_or(f).to_string());
    Some(Explanation {
        position: position.clone(),
        subject: subject.to_string(),
        function,
        flows: Vec::new(),
    })
}

type Verdict = (EscapeKind, String, Option<String>, Option<String>);

fn parse_verdict(message: &str) -> Option<Verdict> {
    if let Some(subject) = message.strip_suffix(" escapes to heap") {
        return Some((EscapeKind::EscapesToHeap, subject.to_string(), None, None));
    }
    if let Some(subject) = message.strip_suffix(" does not escape") {
        return Some((EscapeKind::DoesNotEscape, subject.to_string(), None, None));
    }
    if let Some(subject) = message.strip_prefix("moved to heap: ") {
        return Some((EscapeKind::MovedToHeap, subject.to_string(), None, None));
    }
    if let Some(rest) = message.strip_prefix("leaking param content: ") {
        let (subject, detail) = split_word(rest);
        return Some((EscapeKind::LeakingParamContent, subject, detail, None));
    }
    if let Some(rest) = message.strip_prefix("leaking param: ") {
        let (subject, detail) = split_word(rest);
        return Some((EscapeKind::LeakingParam, subject, detail, None));
    }
    for (marker, kind) in [
        (" capturing by value: ", EscapeKind::CapturedByValue),
        (" capturing by ref: ", EscapeKind::CapturedByRef),
    ] {
        if let Some((function, rest)) = message.split_once(marker) {
            let (subject, detail) = split_word(rest);
            return Some((kind, subject, detail, Some(function.to_string())));
        }
    }
    None
}

/// `name rest…` → (`name`, Some(`rest…`)).
fn split_word(text: &str) -> (String, Option<String>) {
    match text.split_once(' ') {
        Some((word, rest)) => (word.to_string(), Some(rest.to_string())),
        None => (text.to_string(), None),
    }
}

/// Optimisation notes that are not escape analysis.
fn is_chatter(message: &str) -> bool {
    const PREFIXES: [&str; 6] = [
        "can inline ",
        "cannot inline ",
        "inlining call to ",
        "devirtualizing ",
        "found call to ",
        "PGO devirtualizing ",
    ];
    PREFIXES.iter().any(|p| message.starts_with(p))
        || message.starts_with("      ")
        || message.ends_with(" ignoring self-assignment")
        || message.contains(" zero-copy string->[]byte conversion")
}

#[cfg(test)]
mod tests;
