//! Byte ranges in a source file.

use serde::{Deserialize, Serialize};

/// A half-open byte range `start..end` in a file's text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
pub struct TextRange {
    /// Offset of the first byte.
    pub start: u32,
    /// Offset one past the last byte.
    pub end: u32,
}

impl TextRange {
    /// The range `start..end`. Panics in debug builds if `start > end`.
    pub fn new(start: u32, end: u32) -> Self {
        debug_assert!(start <= end, "TextRange start {start} > end {end}");
        Self { start, end }
    }

    /// An empty range at `offset` (an insertion point).
    pub fn empty(offset: u32) -> Self {
        Self {
            start: offset,
            end: offset,
        }
    }

    /// Length in bytes.
    pub fn len(self) -> u32 {
        self.end - self.start
    }

    /// Whether the range covers no bytes.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// Whether the two ranges share at least one byte, or one is empty and lies strictly inside
    /// the other. Two edits whose ranges overlap cannot both be applied.
    pub fn overlaps(self, other: TextRange) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The range as `usize` indices, for slicing.
    pub fn to_usize(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

impl From<std::ops::Range<u32>> for TextRange {
    fn from(range: std::ops::Range<u32>) -> Self {
        Self::new(range.start, range.end)
    }
}
