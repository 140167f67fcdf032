//! `--fix`: applies fixes file by file and writes the files back.

use std::collections::BTreeMap;
use std::path::Path;

use mapguard_diagnostics::{Diagnostic, InputError, apply_fixes};
use mapguard_go::Program;

/// Applies the fixes of `diagnostics`; returns the findings whose fix was applied.
pub(super) fn apply(
    program: &Program,
    diagnostics: &[Diagnostic],
    cwd: &Path,
    allow_unsafe: bool,
    errors: &mut Vec<InputError>,
) -> Vec<Diagnostic> {
    let mut by_file: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for d in diagnostics.iter().filter(|d| {
        d.fix
            .as_ref()
            .is_some_and(|f| f.is_applicable(allow_unsafe))
    }) {
        by_file.entry(d.location.path.as_str()).or_default().push(d);
    }
    let mut fixed = Vec::new();
    for (path, found) in by_file {
        let Some(file) = program
            .packages
            .iter()
            .flat_map(|p| &p.files)
            .find(|f| f.display == path)
        else {
            continue;
        };
        let accepted = non_overlapping(found);
        let fixes: Vec<_> = accepted.iter().filter_map(|d| d.fix.as_ref()).collect();
        let result = apply_fixes(&file.text, &fixes, allow_unsafe);
        if result.applied == 0 {
            continue;
        }
        if let Err(err) = std::fs::write(cwd.join(&file.path), &result.output) {
            errors.push(InputError::new(path, format!("cannot write fixes: {err}")));
            continue;
        }
        fixed.extend(accepted.into_iter().cloned());
    }
    fixed
}

/// The findings whose fixes can all be applied together: in source order, each fix whose edits
/// overlap an earlier accepted one is left for the next run (its finding stays reported).
fn non_overlapping(mut found: Vec<&Diagnostic>) -> Vec<&Diagnostic> {
    let span = |d: &Diagnostic| {
        let edits = d
            .fix
            .as_ref()
            .map(|f| f.edits.as_slice())
            .unwrap_or_default();
        let start = edits.iter().map(|e| e.range.start).min().unwrap_or(0);
        let end = edits.iter().map(|e| e.range.end).max().unwrap_or(0);
        (start, end)
    };
    found.sort_by_key(|d| span(d));
    let mut accepted: Vec<&Diagnostic> = Vec::new();
    let mut last_end = None;
    for d in found {
        let (start, end) = span(d);
        if last_end.is_none_or(|last| start >= last) {
            accepted.push(d);
            last_end = Some(end.max(start + 1));
        }
    }
    accepted
}
