use std::sync::{Arc, OnceLock};

/// A half-open byte range `[start, end)` into a source file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        let start = u32::try_from(start).unwrap_or(u32::MAX);
        let end = u32::try_from(end).unwrap_or(u32::MAX).max(start);
        Span { start, end }
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Shift a span found in a fragment to its place in the whole file.
    pub fn offset(self, by: usize) -> Span {
        Span::new(self.start as usize + by, self.end as usize + by)
    }

    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// A 1-based line and column; the column counts characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

/// Every `STRIDE`-th line start of a file: a position is found from the nearest stored start by
/// counting the newlines after it, so the index of a file of millions of lines takes kilobytes.
const STRIDE: usize = 64;

/// Line starts of a file, to turn spans into line/column positions at output time. It keeps one
/// start in `STRIDE` and reads the text for the rest, so its methods take the file's text.
#[derive(Debug, Clone)]
struct LineIndex {
    starts: Vec<u32>,
    lines: usize,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0u32];
        let mut lines = 1;
        for (i, _) in text.match_indices('\n') {
            if lines % STRIDE == 0 {
                starts.push(u32::try_from(i + 1).unwrap_or(u32::MAX));
            }
            lines += 1;
        }
        LineIndex { starts, lines }
    }

    /// The 0-based line that holds `offset`.
    fn line_of(&self, text: &str, offset: u32) -> usize {
        let offset = (offset as usize).min(text.len());
        let block = self.starts.partition_point(|&s| s as usize <= offset) - 1;
        let from = self.starts[block] as usize;
        let newlines = text.as_bytes()[from..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        block * STRIDE + newlines
    }

    /// Where a 0-based line starts (the end of the text for a line past the last).
    fn line_start(&self, text: &str, line: usize) -> usize {
        let Some(&from) = self.starts.get(line / STRIDE) else {
            return text.len();
        };
        let mut at = from as usize;
        for _ in 0..line % STRIDE {
            at = text[at..].find('\n').map_or(text.len(), |n| at + n + 1);
        }
        at
    }

    fn line_count(&self) -> usize {
        self.lines
    }

    fn line_col(&self, text: &str, offset: u32) -> LineCol {
        let offset = offset.min(u32::try_from(text.len()).unwrap_or(u32::MAX));
        let line = self.line_of(text, offset);
        let start = self.line_start(text, line);
        let end = crate::truncate_at_char(text, offset as usize).len();
        let column = text[start..end].chars().count() + 1;
        LineCol {
            line: u32::try_from(line + 1).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
        }
    }

    /// The text of a 0-based line without its line terminator.
    fn line_text<'a>(&self, text: &'a str, line: usize) -> &'a str {
        let start = self.line_start(text, line);
        let end = text[start..]
            .find('\n')
            .map_or(text.len(), |n| start + n + 1);
        text[start..end].trim_end_matches(['\n', '\r'])
    }
}

/// A file's path (as the user named it) and its text, shared cheaply between analyses.
#[derive(Debug, Clone)]
pub struct SourceFile {
    inner: Arc<SourceInner>,
}

#[derive(Debug)]
struct SourceInner {
    path: String,
    text: String,
    /// Built on first use: most files never need a line number.
    index: OnceLock<LineIndex>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        SourceFile {
            inner: Arc::new(SourceInner {
                path: path.into(),
                text: text.into(),
                index: OnceLock::new(),
            }),
        }
    }

    pub fn path(&self) -> &str {
        &self.inner.path
    }

    pub fn text(&self) -> &str {
        &self.inner.text
    }

    fn index(&self) -> &LineIndex {
        self.inner
            .index
            .get_or_init(|| LineIndex::new(&self.inner.text))
    }

    pub fn line_col(&self, offset: u32) -> LineCol {
        self.index().line_col(&self.inner.text, offset)
    }

    /// The 0-based line that holds `offset`.
    pub fn line_of(&self, offset: u32) -> usize {
        self.index().line_of(&self.inner.text, offset)
    }

    /// The text of a 0-based line without its line terminator.
    pub fn line_text(&self, line: usize) -> &str {
        self.index().line_text(&self.inner.text, line)
    }

    pub fn line_count(&self) -> usize {
        self.index().line_count()
    }

    pub fn slice(&self, span: Span) -> &str {
        let text = self.text();
        let end = (span.end as usize).min(text.len());
        let start = (span.start as usize).min(end);
        text.get(start..end).unwrap_or("")
    }

    /// An identity for this loaded file, shared by its clones (for maps keyed by file).
    pub fn id(&self) -> usize {
        Arc::as_ptr(&self.inner) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let file = SourceFile::new("a.sql", "select 1;\n-- é\nselect 2;\n");
        assert_eq!(file.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(file.line_col(10), LineCol { line: 2, column: 1 });
        // "-- é" is 5 bytes; the offset after 'é' is column 5 (4 characters before it).
        assert_eq!(file.line_col(15), LineCol { line: 2, column: 5 });
        assert_eq!(file.line_col(16), LineCol { line: 3, column: 1 });
        assert_eq!(file.line_text(1), "-- é");
    }

    #[test]
    fn positions_past_the_stored_line_starts_count_the_lines_between() {
        let text: String = (0..200).map(|i| format!("line {i}\r\n")).collect();
        let file = SourceFile::new("a.sql", text.as_str());
        assert_eq!(file.line_count(), 201);
        for line in [0, 1, 63, 64, 65, 127, 128, 199] {
            let start = text.find(&format!("line {line}\r")).unwrap() as u32;
            assert_eq!(file.line_of(start), line);
            assert_eq!(file.line_of(start + 5), line);
            assert_eq!(file.line_col(start + 5).column, 6);
            assert_eq!(file.line_text(line), format!("line {line}"));
        }
        assert_eq!(file.line_text(200), "");
    }

    #[test]
    fn offsets_past_the_end_clamp_to_the_last_position() {
        let file = SourceFile::new("a.sql", "ab");
        assert_eq!(file.line_col(99), LineCol { line: 1, column: 3 });
    }
}
