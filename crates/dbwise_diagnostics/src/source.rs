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

/// Byte offsets of line starts, to turn spans into line/column positions at output time.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0u32];
        starts.extend(
            text.match_indices('\n')
                .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        );
        LineIndex { starts }
    }

    /// The 0-based line that holds `offset`.
    pub fn line_of(&self, offset: u32) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    pub fn line_start(&self, line: usize) -> u32 {
        self.starts[line]
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    pub fn line_col(&self, text: &str, offset: u32) -> LineCol {
        let offset = offset.min(u32::try_from(text.len()).unwrap_or(u32::MAX));
        let line = self.line_of(offset);
        let start = self.starts[line] as usize;
        let end = crate::truncate_at_char(text, offset as usize).len();
        let column = text[start..end].chars().count() + 1;
        LineCol {
            line: u32::try_from(line + 1).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
        }
    }

    /// The text of a 0-based line without its line terminator.
    pub fn line_text<'a>(&self, text: &'a str, line: usize) -> &'a str {
        let start = self.starts[line] as usize;
        let end = self
            .starts
            .get(line + 1)
            .map_or(text.len(), |&s| s as usize);
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
    /// Built on first use: most files never need a line number, and the index holds four bytes
    /// for every line of the file.
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

    pub fn index(&self) -> &LineIndex {
        self.inner
            .index
            .get_or_init(|| LineIndex::new(&self.inner.text))
    }

    pub fn line_col(&self, offset: u32) -> LineCol {
        self.index().line_col(&self.inner.text, offset)
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
        assert_eq!(file.index().line_text(file.text(), 1), "-- é");
    }

    #[test]
    fn offsets_past_the_end_clamp_to_the_last_position() {
        let file = SourceFile::new("a.sql", "ab");
        assert_eq!(file.line_col(99), LineCol { line: 1, column: 3 });
    }
}
