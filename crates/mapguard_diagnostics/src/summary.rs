//! Counts for the closing line of a run.

use crate::{Applicability, Diagnostic, InputError};

/// How many findings, fixes and input errors a run produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    /// Number of findings.
    pub findings: usize,
    /// Findings with a safe fix (applied by `--fix`).
    pub safe_fixes: usize,
    /// Findings with an unsafe fix (applied with `--unsafe-fixes`).
    pub unsafe_fixes: usize,
    /// Inputs that could not be checked.
    pub errors: usize,
}

impl Summary {
    /// Counts `diagnostics` and `errors`.
    pub fn new(diagnostics: &[Diagnostic], errors: &[InputError]) -> Self {
        let mut summary = Summary {
            findings: diagnostics.len(),
            errors: errors.len(),
            ..Summary::default()
        };
        for fix in diagnostics
            .iter()
            .filter_map(|diagnostic| diagnostic.fix.as_ref())
        {
            match fix.applicability {
                Applicability::Safe => summary.safe_fixes += 1,
                Applicability::Unsafe => summary.unsafe_fixes += 1,
            }
        }
        summary
    }
}
