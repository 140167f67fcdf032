//! `--fix`: applies fixes file by file and writes the files back.

use std::collections::BTreeMap;
use std::path::Path;

use mapguard_diagnostics::{Diagnostic, InputError, apply_fixes};
use mapguard_go::Program;

/// Applies the fixes of `diagnostics`; returns the findings whose fix was applied. Fixes that
/// overlap an applied one are left, and their findings stay reported for the next run.
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
        let fixes: Vec<_> = found.iter().filter_map(|d| d.fix.as_ref()).collect();
        let result = apply_fixes(&file.text, &fixes, allow_unsafe);
        if result.applied_fixes.is_empty() {
            continue;
        }
        if let Err(err) = std::fs::write(cwd.join(&file.path), &result.output) {
            errors.push(InputError::new(path, format!("cannot write fixes: {err}")));
            continue;
        }
        fixed.extend(result.applied_fixes.iter().map(|&i| found[i].clone()));
    }
    fixed
}
