//! Where a finding is: a file, a byte range and its line/column form.

use serde::{Deserialize, Serialize};

use crate::{LineCol, LineIndex, TextRange};

/// A range in a file, with its start and end as 1-based line/byte-column positions.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Location {
    /// The path as displayed: relative to the working directory when inside it, else absolute.
    pub path: String,
    /// Byte range in the file.
    pub range: TextRange,
    /// Position of `range.start`.
    pub start: LineCol,
    /// Position of `range.end` (exclusive, like Go's `End()` positions).
    pub end: LineCol,
}

impl Location {
    /// A location in a file whose [`LineIndex`] is already built (the cheap way, per finding).
    pub fn new(path: impl Into<String>, index: &LineIndex, range: TextRange) -> Self {
        Self {
            path: path.into(),
            range,
            start: index.line_col(range.start),
            end: index.line_col(range.end),
        }
    }

    /// A location computed from the file's text; builds a [`LineIndex`], so prefer
    /// [`Location::new`] when making many locations in one file.
    pub fn from_source(path: impl Into<String>, source: &str, range: TextRange) -> Self {
        Self::new(path, &LineIndex::new(source), range)
    }

    /// A location for a whole file whose text is unknown or irrelevant: 1:1, empty range.
    pub fn file(path: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            range: TextRange::empty(0),
            start: LineCol::new(1, 1),
            end: LineCol::new(1, 1),
        }
    }
}
