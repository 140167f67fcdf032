//! Byte offset ↔ line/column conversion for one source text.

use serde::{Deserialize, Serialize};

use crate::TextRange;

/// A 1-based line and column. The column counts bytes, as the Go toolchain's positions do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LineCol {
    /// 1-based line number.
    pub line: u32,
    /// 1-based byte column.
    pub column: u32,
}

impl LineCol {
    /// Line `line`, column `column` (both 1-based).
    pub fn new(line: u32, column: u32) -> Self {
        Self { line, column }
    }
}

/// The start offsets of every line of a text, for converting byte offsets to [`LineCol`]s.
///
/// Lines end at `\n`; a `\r` before it belongs to the line's text, as it does for the Go scanner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    len: u32,
}

impl LineIndex {
    /// Indexes `source`. Texts over 4 GiB are not supported (offsets are `u32`).
    pub fn new(source: &str) -> Self {
        let mut line_starts = Vec::with_capacity(source.len() / 32 + 1);
        line_starts.push(0);
        for (i, byte) in source.bytes().enumerate() {
            if byte == b'\n' {
                line_starts.push(to_u32(i + 1));
            }
        }
        Self {
            line_starts,
            len: to_u32(source.len()),
        }
    }

    /// Number of lines; a text ending in `\n` has an empty last line, an empty text has one line.
    pub fn line_count(&self) -> u32 {
        to_u32(self.line_starts.len())
    }

    /// Length of the indexed text in bytes.
    pub fn text_len(&self) -> u32 {
        self.len
    }

    /// The line and byte column of `offset`. Offsets past the end are clamped to the end.
    pub fn line_col(&self, offset: u32) -> LineCol {
        let offset = offset.min(self.len);
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        LineCol {
            line: to_u32(line + 1),
            column: offset - self.line_starts[line] + 1,
        }
    }

    /// The byte offset of a line and column, or `None` if the line does not exist or the column
    /// lies beyond the end of the line (the column of the line's `\n`, or of the end of the text, is
    /// allowed).
    pub fn offset(&self, position: LineCol) -> Option<u32> {
        let range = self.line_range(position.line)?;
        let offset = range.start.checked_add(position.column.checked_sub(1)?)?;
        (offset <= range.end).then_some(offset)
    }

    /// The bytes of a 1-based line, without its `\n` (a `\r` before it is kept).
    pub fn line_range(&self, line: u32) -> Option<TextRange> {
        let index = (line as usize).checked_sub(1)?;
        let start = *self.line_starts.get(index)?;
        let end = match self.line_starts.get(index + 1) {
            Some(next) => next - 1,
            None => self.len,
        };
        Some(TextRange::new(start, end))
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).expect("source text larger than 4 GiB")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_positions_round_trip() {
        let source = "package p\n\nfunc f() {\r\n\tx := \"héllo\"\n}";
        let index = LineIndex::new(source);
        assert_eq!(index.line_count(), 5);
        for offset in 0..=source.len() as u32 {
            let position = index.line_col(offset);
            assert_eq!(
                index.offset(position),
                Some(offset),
                "offset {offset} -> {position:?}"
            );
        }
        assert_eq!(index.line_col(0), LineCol::new(1, 1));
        assert_eq!(index.line_col(10), LineCol::new(2, 1));
        // `x` after the tab on line 4 is at byte column 2, as gc reports it.
        let x = source.find('x').unwrap() as u32;
        assert_eq!(index.line_col(x), LineCol::new(4, 2));
        // Columns count bytes: `l` after the two-byte `é`.
        let l = source.find("llo").unwrap() as u32;
        assert_eq!(index.line_col(l), LineCol::new(4, 11));
        assert_eq!(index.line_col(u32::MAX), LineCol::new(5, 2));
    }

    #[test]
    fn line_ranges_exclude_the_newline() {
        let source = "a\r\nbc\n";
        let index = LineIndex::new(source);
        assert_eq!(index.line_range(1), Some(TextRange::new(0, 2)));
        assert_eq!(index.line_range(2), Some(TextRange::new(3, 5)));
        assert_eq!(index.line_range(3), Some(TextRange::new(6, 6)));
        assert_eq!(index.line_range(4), None);
        assert_eq!(index.line_range(0), None);
        assert_eq!(index.offset(LineCol::new(2, 3)), Some(5));
        assert_eq!(index.offset(LineCol::new(2, 4)), None);
        assert_eq!(index.offset(LineCol::new(1, 0)), None);
    }

    #[test]
    fn empty_text_has_one_line() {
        let index = LineIndex::new("");
        assert_eq!(index.line_count(), 1);
        assert_eq!(index.line_col(0), LineCol::new(1, 1));
        assert_eq!(index.offset(LineCol::new(1, 1)), Some(0));
        assert_eq!(index.line_range(1), Some(TextRange::new(0, 0)));
    }
}
