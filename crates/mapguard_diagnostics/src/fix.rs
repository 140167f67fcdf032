//! Fixes: byte-range edits with an explicit safety level, and applying them to a file.

use serde::{Deserialize, Serialize};

use crate::TextRange;

/// Whether a fix may be applied without review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Valid Go, but may change behaviour or drop comments; applied only when asked
    /// (`--unsafe-fixes`).
    Unsafe,
    /// Keeps the program's meaning; applied by `--fix`.
    Safe,
}

impl Applicability {
    /// The lowercase name: `safe` or `unsafe`.
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// Replace the bytes of `range` with `content` (empty range: insert; empty content: delete).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Edit {
    /// The bytes replaced.
    pub range: TextRange,
    /// The new text.
    pub content: String,
}

impl Edit {
    /// Replaces `range` with `content`.
    pub fn replacement(range: TextRange, content: impl Into<String>) -> Self {
        Self {
            range,
            content: content.into(),
        }
    }

    /// Deletes `range`.
    pub fn deletion(range: TextRange) -> Self {
        Self {
            range,
            content: String::new(),
        }
    }

    /// Inserts `content` at `offset`.
    pub fn insertion(offset: u32, content: impl Into<String>) -> Self {
        Self {
            range: TextRange::empty(offset),
            content: content.into(),
        }
    }
}

/// A set of edits to one file that together fix one finding.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Fix {
    /// What the fix does, imperative: "Replace the loop with `clear(m)`".
    pub message: String,
    /// Whether it may be applied without review.
    pub applicability: Applicability,
    /// The edits, sorted by start offset, not overlapping each other.
    pub edits: Vec<Edit>,
}

impl Fix {
    /// A fix from edits in any order (they are sorted).
    pub fn new(
        message: impl Into<String>,
        applicability: Applicability,
        mut edits: Vec<Edit>,
    ) -> Self {
        edits.sort_by_key(|edit| (edit.range.start, edit.range.end));
        Self {
            message: message.into(),
            applicability,
            edits,
        }
    }

    /// A safe fix of one edit.
    pub fn safe_edit(message: impl Into<String>, edit: Edit) -> Self {
        Self::new(message, Applicability::Safe, vec![edit])
    }

    /// A safe fix of several edits.
    pub fn safe_edits(message: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(message, Applicability::Safe, edits)
    }

    /// An unsafe fix of one edit.
    pub fn unsafe_edit(message: impl Into<String>, edit: Edit) -> Self {
        Self::new(message, Applicability::Unsafe, vec![edit])
    }

    /// An unsafe fix of several edits.
    pub fn unsafe_edits(message: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(message, Applicability::Unsafe, edits)
    }

    /// Whether the fix is applied when unsafe fixes are (not) allowed.
    pub fn is_applicable(&self, allow_unsafe: bool) -> bool {
        self.applicability == Applicability::Safe || allow_unsafe
    }

    /// The smallest start offset of its edits (fixes are applied in this order).
    fn first_start(&self) -> u32 {
        self.edits
            .iter()
            .map(|edit| edit.range.start)
            .min()
            .unwrap_or(0)
    }
}

/// What [`apply_fixes`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixResult {
    /// The fixed text.
    pub output: String,
    /// Fixes applied (a fix identical to one already applied counts once more, but edits once).
    pub applied: usize,
    /// Fixes that overlap an applied one; re-run the rules on the output and apply them then.
    pub skipped: usize,
    /// Unsafe fixes left out because unsafe fixes were not allowed.
    pub unsafe_skipped: usize,
    /// Fixes with an edit outside the text, not on a UTF-8 character boundary, or overlapping
    /// another edit of the same fix; they are never applied.
    pub invalid: usize,
    /// Indices (into the `fixes` given) of the fixes applied, ascending: the findings that are
    /// fixed in [`FixResult::output`].
    pub applied_fixes: Vec<usize>,
}

/// Applies the fixes of one file that do not overlap each other.
///
/// Fixes are taken in order of their first edit; a fix whose edits overlap an edit already
/// taken is skipped (counted in [`FixResult::skipped`]) so a caller can re-check and try again.
/// Unsafe fixes are applied only if `allow_unsafe`.
pub fn apply_fixes(source: &str, fixes: &[&Fix], allow_unsafe: bool) -> FixResult {
    let mut result = FixResult {
        output: String::new(),
        applied: 0,
        skipped: 0,
        unsafe_skipped: 0,
        invalid: 0,
        applied_fixes: Vec::new(),
    };
    let mut ordered: Vec<(usize, &Fix)> = Vec::with_capacity(fixes.len());
    for (i, &fix) in fixes.iter().enumerate() {
        if !fix.is_applicable(allow_unsafe) {
            result.unsafe_skipped += 1;
        } else if !is_valid(source, fix) {
            result.invalid += 1;
        } else {
            ordered.push((i, fix));
        }
    }
    ordered.sort_by_key(|(_, fix)| fix.first_start());

    let mut taken: Vec<&Edit> = Vec::new();
    let mut applied: Vec<&Fix> = Vec::new();
    // End of the last taken edit; every later edit must start at or after it.
    let mut last_end: Option<u32> = None;
    for (i, fix) in ordered {
        // Identical fixes (two findings, one rewrite) sort next to each other's first start.
        let duplicate = applied
            .iter()
            .rev()
            .take_while(|other| other.first_start() == fix.first_start())
            .any(|other| *other == fix);
        if duplicate {
            result.applied += 1;
            result.applied_fixes.push(i);
            continue;
        }
        if last_end.is_some_and(|end| !fits_after(&taken, end, fix)) {
            result.skipped += 1;
            continue;
        }
        taken.extend(&fix.edits);
        if let Some(last) = fix.edits.last() {
            last_end = Some(last.range.end);
        }
        applied.push(fix);
        result.applied += 1;
        result.applied_fixes.push(i);
    }
    result.applied_fixes.sort_unstable();

    let mut output = String::with_capacity(source.len());
    let mut cursor = 0usize;
    for edit in taken {
        let range = edit.range.to_usize();
        output.push_str(&source[cursor..range.start]);
        output.push_str(&edit.content);
        cursor = range.end;
    }
    output.push_str(&source[cursor..]);
    result.output = output;
    result
}

/// Whether `fix` can follow the edits taken so far, the last of which ends at `end`.
///
/// An edit may start where the previous one ends, except that two insertions at the same offset
/// would have an order that depends on sorting, so the second waits for the next pass.
fn fits_after(taken: &[&Edit], end: u32, fix: &Fix) -> bool {
    let Some(first) = fix.edits.first() else {
        return true;
    };
    if first.range.start != end {
        return first.range.start > end;
    }
    !(first.range.is_empty() && taken.last().is_some_and(|last| last.range.is_empty()))
}

fn is_valid(source: &str, fix: &Fix) -> bool {
    let mut previous_end = 0u32;
    for (i, edit) in fix.edits.iter().enumerate() {
        let range = edit.range;
        if range.start > range.end
            || range.end as usize > source.len()
            || !source.is_char_boundary(range.start as usize)
            || !source.is_char_boundary(range.end as usize)
            || (i > 0 && range.start < previous_end)
        {
            return false;
        }
        previous_end = range.end;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replace(start: u32, end: u32, content: &str) -> Edit {
        Edit::replacement(TextRange::new(start, end), content)
    }

    #[test]
    fn applies_non_overlapping_fixes_in_offset_order() {
        let source = "for k := range m { delete(m, k) }\nx := 1\n";
        let clear = Fix::safe_edit("Replace with clear", replace(0, 33, "clear(m)"));
        let rename = Fix::safe_edit("Rename", replace(34, 35, "y"));
        let result = apply_fixes(source, &[&rename, &clear], false);
        assert_eq!(result.output, "clear(m)\ny := 1\n");
        assert_eq!(
            (
                result.applied,
                result.skipped,
                result.unsafe_skipped,
                result.invalid
            ),
            (2, 0, 0, 0)
        );
    }

    #[test]
    fn overlapping_fix_is_skipped_for_the_next_pass() {
        let source = "abcdef";
        let first = Fix::safe_edit("a", replace(0, 3, "X"));
        let second = Fix::safe_edit("b", replace(2, 4, "Y"));
        let third = Fix::safe_edit("c", replace(3, 4, "Z"));
        let result = apply_fixes(source, &[&second, &first, &third], false);
        assert_eq!(result.output, "XZef");
        assert_eq!((result.applied, result.skipped), (2, 1));
        assert_eq!(result.applied_fixes, vec![1, 2]);
    }

    #[test]
    fn fix_with_spread_edits_blocks_later_fixes_between_them() {
        let source = "0123456789";
        let spread = Fix::safe_edits("spread", vec![replace(8, 9, "b"), replace(1, 2, "a")]);
        let middle = Fix::safe_edit("middle", replace(5, 6, "m"));
        let result = apply_fixes(source, &[&middle, &spread], false);
        assert_eq!(result.output, "0a234567b9");
        assert_eq!((result.applied, result.skipped), (1, 1));
    }

    #[test]
    fn unsafe_fixes_need_permission() {
        let source = "abc";
        let fix = Fix::unsafe_edit("u", Edit::deletion(TextRange::new(1, 2)));
        let result = apply_fixes(source, &[&fix], false);
        assert_eq!(
            (
                result.output.as_str(),
                result.applied,
                result.unsafe_skipped
            ),
            ("abc", 0, 1)
        );
        let result = apply_fixes(source, &[&fix], true);
        assert_eq!(
            (
                result.output.as_str(),
                result.applied,
                result.unsafe_skipped
            ),
            ("ac", 1, 0)
        );
    }

    #[test]
    fn identical_fixes_apply_once() {
        let source = "abc";
        let a = Fix::safe_edit("a", Edit::insertion(1, "X"));
        let b = a.clone();
        let other = Fix::safe_edit("o", Edit::insertion(0, "<"));
        let result = apply_fixes(source, &[&a, &other, &b], false);
        assert_eq!(result.output, "<aXbc");
        assert_eq!((result.applied, result.skipped), (3, 0));
        assert_eq!(result.applied_fixes, vec![0, 1, 2]);
    }

    #[test]
    fn two_insertions_at_one_offset_are_ambiguous() {
        let source = "abc";
        let a = Fix::safe_edit("a", Edit::insertion(1, "X"));
        let b = Fix::safe_edit("b", Edit::insertion(1, "Y"));
        let result = apply_fixes(source, &[&a, &b], false);
        assert_eq!(result.output, "aXbc");
        assert_eq!((result.applied, result.skipped), (1, 1));
    }

    #[test]
    fn adjacent_edits_both_apply() {
        let source = "abcd";
        let a = Fix::safe_edit("a", replace(0, 2, "X"));
        let b = Fix::safe_edit("b", replace(2, 4, "Y"));
        let c = Fix::safe_edit("c", Edit::insertion(4, "!"));
        let result = apply_fixes(source, &[&c, &b, &a], false);
        assert_eq!(result.output, "XY!");
        assert_eq!(result.applied, 3);
    }

    #[test]
    fn invalid_edits_are_refused() {
        let source = "héllo";
        let inside_char = Fix::safe_edit("bad", replace(2, 3, "e"));
        let past_end = Fix::safe_edit("bad", replace(4, 99, ""));
        let self_overlap = Fix::safe_edits("bad", vec![replace(0, 3, "a"), replace(1, 2, "b")]);
        let result = apply_fixes(source, &[&inside_char, &past_end, &self_overlap], true);
        assert_eq!(result.output, source);
        assert_eq!((result.applied, result.invalid), (0, 3));
    }
}
