//! `//mapguard:ignore CODE reason` and `//nolint:mapguard` comments: which findings they silence,
//! and which of them silence nothing.

use std::sync::LazyLock;

use mapguard_diagnostics::Diagnostic;
use mapguard_go::syntax;
use regex::Regex;

use crate::context::PackageContext;
use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a `//mapguard:ignore` comment that suppresses no finding.
    ///
    /// ## Why is this bad?
    /// A stale suppression hides the next real finding on that line and misleads readers
    /// about a hazard that is no longer there.
    ///
    /// ## Example
    /// ```go
    /// //mapguard:ignore MG201 bounded by the tenant list
    /// names[id] = name // the map is now deleted from elsewhere: nothing to suppress
    /// ```
    ///
    /// Use instead: remove the comment.
    ///
    /// ## Fix safety
    /// No automatic fix.
    pub struct UnusedSuppression;
    code = "MG001", name = "unused-suppression", summary = "a //mapguard:ignore comment that suppresses nothing",
    severity = Warning, fixable = false,
}

declare_rule! {
    /// ## What it does
    /// Reports a `//mapguard:ignore` comment without a reason, or without a rule code.
    ///
    /// ## Why is this bad?
    /// A suppression is a claim that a finding is wrong or accepted; without the reason the
    /// next reader cannot check the claim.
    ///
    /// ## Example
    /// ```go
    /// cache[k] = v //mapguard:ignore MG201
    /// ```
    ///
    /// Use instead:
    /// ```go
    /// cache[k] = v //mapguard:ignore MG201 keys are the 12 configured regions
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix.
    pub struct MalformedSuppression;
    code = "MG002", name = "malformed-suppression", summary = "a //mapguard:ignore comment without a rule code or a reason",
    severity = Warning, fixable = false,
}

static IGNORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^//\s*mapguard:ignore(?:\s+([A-Za-z0-9,\-]+))?(?:\s+(.*\S))?\s*$")
        .expect("valid regex")
});
static NOLINT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^//\s*nolint(?::([\w,\-]+))?\b").expect("valid regex"));

struct Directive {
    file: usize,
    /// The line whose findings it silences.
    line: u32,
    /// Codes or rule names; empty for a blanket `//nolint`.
    codes: Vec<String>,
    /// Whether it is a `//mapguard:ignore` (which must be used) rather than a `//nolint`.
    strict: bool,
    comment_start: usize,
    comment_end: usize,
    used: bool,
}

/// Drops the findings that a directive silences, and reports unused or malformed directives.
pub(crate) fn apply(
    ctx: &PackageContext<'_>,
    diagnostics: Vec<Diagnostic>,
    enabled: &dyn Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    let mut directives = Vec::new();
    let mut extra = Vec::new();
    for (file_index, file) in ctx.files().iter().enumerate() {
        if !file.text.contains("mapguard:ignore") && !file.text.contains("nolint") {
            continue;
        }
        for comment in syntax::descendants(file.tree.root_node()).filter(|n| n.kind() == "comment")
        {
            // A second `//` starts another comment, not part of the directive or its reason.
            let full = syntax::text(comment, &file.text);
            let text = full
                .get(2..)
                .and_then(|rest| rest.find("//"))
                .map_or(full, |i| full[..i + 2].trim_end());
            let own_line = file.text[..comment.start_byte()]
                .rsplit('\n')
                .next()
                .is_some_and(|before| before.trim().is_empty());
            let line = syntax::line(comment) + u32::from(own_line);
            if let Some(caps) = IGNORE.captures(text) {
                let codes: Vec<String> = caps
                    .get(1)
                    .map(|m| m.as_str().split(',').map(str::to_string).collect())
                    .unwrap_or_default();
                if codes.is_empty() || caps.get(2).is_none() {
                    extra.push((file_index, comment.start_byte(), comment.end_byte(), "//mapguard:ignore needs a rule code and a reason: //mapguard:ignore MG201 why it is safe".to_string()));
                }
                directives.push(Directive {
                    file: file_index,
                    line,
                    codes,
                    strict: true,
                    comment_start: comment.start_byte(),
                    comment_end: comment.end_byte(),
                    used: false,
                });
            } else if let Some(caps) = NOLINT.captures(text) {
                let linters: Vec<&str> = caps
                    .get(1)
                    .map(|m| m.as_str().split(',').collect())
                    .unwrap_or_default();
                if linters.is_empty() || linters.iter().any(|l| *l == "mapguard" || *l == "all") {
                    directives.push(Directive {
                        file: file_index,
                        line,
                        codes: Vec::new(),
                        strict: false,
                        comment_start: comment.start_byte(),
                        comment_end: comment.end_byte(),
                        used: false,
                    });
                }
            }
        }
    }
    if directives.is_empty() {
        return diagnostics;
    }
    let mut kept = Vec::new();
    for diagnostic in diagnostics {
        let silenced = directives.iter_mut().find(|d| {
            ctx.file(d.file).display == diagnostic.location.path
                && d.line == diagnostic.location.start.line
                && (d.codes.is_empty()
                    || d.codes
                        .iter()
                        .any(|c| c.eq_ignore_ascii_case(&diagnostic.code) || *c == diagnostic.rule))
        });
        match silenced {
            Some(directive) => directive.used = true,
            None => kept.push(diagnostic),
        }
    }
    for d in directives
        .iter()
        .filter(|d| d.strict && !d.used && !d.codes.is_empty())
    {
        if d.codes.iter().all(|c| enabled(c)) && enabled(UnusedSuppression::INFO.code) {
            let message = format!(
                "//mapguard:ignore {} suppresses nothing on line {}",
                d.codes.join(","),
                d.line
            );
            kept.push(diagnostic_for(
                ctx,
                &UnusedSuppression::INFO,
                d.file,
                d.comment_start,
                d.comment_end,
                message,
            ));
        }
    }
    if enabled(MalformedSuppression::INFO.code) {
        for (file, start, end, message) in extra {
            kept.push(diagnostic_for(
                ctx,
                &MalformedSuppression::INFO,
                file,
                start,
                end,
                message,
            ));
        }
    }
    kept
}

fn diagnostic_for(
    ctx: &PackageContext<'_>,
    info: &crate::rule::RuleInfo,
    file: usize,
    start: usize,
    end: usize,
    message: String,
) -> Diagnostic {
    Diagnostic::new(
        info.code,
        info.name,
        info.severity,
        message,
        ctx.location_of_range(file, start, end),
    )
}
