//! Statements whose lowered form needs only their first words: plain SELECTs, INSERTs and view
//! definitions. Their trees are the largest and the slowest to build (a view is a whole query),
//! while the catalog needs no more than the view's or target table's name. For them the grammar
//! only checks the text, and the words are read here; the full tree stays available through
//! `Statement::tree`.

use crate::ast::{QualifiedName, Stmt};

/// The lowered statement, if `text` is one of the kinds read from its first words.
pub(crate) fn lower(text: &str) -> Option<Stmt> {
    let words = Words::new(text);
    let lead: Vec<Word> = words.take(16).collect();
    let kw = |i: usize, k: &str| lead.get(i).is_some_and(|w| w.is_keyword(k));
    if kw(0, "select") {
        return Some(Stmt::Select);
    }
    if kw(0, "insert") && kw(1, "into") {
        return name_at(&lead, 2).map(|table| Stmt::Insert { table });
    }
    if !kw(0, "create") {
        return None;
    }
    let mut i = 1;
    if kw(i, "materialized") && kw(i + 1, "view") {
        i += 2;
        if kw(i, "if") && kw(i + 1, "not") && kw(i + 2, "exists") {
            i += 3;
        }
        return name_at(&lead, i).map(|name| Stmt::CreateView {
            name,
            materialized: true,
            or_replace: false,
        });
    }
    let or_replace = kw(i, "or") && kw(i + 1, "replace");
    if or_replace {
        i += 2;
    }
    if kw(i, "temp") || kw(i, "temporary") {
        i += 1;
    }
    if kw(i, "recursive") {
        i += 1;
    }
    if !kw(i, "view") {
        return None;
    }
    name_at(&lead, i + 1).map(|name| Stmt::CreateView {
        name,
        materialized: false,
        or_replace,
    })
}

/// A possibly qualified name starting at word `i`: `name`, `schema.name` or `db.schema.name`.
fn name_at(words: &[Word], i: usize) -> Option<QualifiedName> {
    let mut parts = vec![words.get(i)?.ident()?];
    let mut j = i + 1;
    while words.get(j).is_some_and(|w| w.text == ".") {
        parts.push(words.get(j + 1)?.ident()?);
        j += 2;
    }
    // The name must be followed by what a definition or an INSERT target allows.
    let next_ok = words.get(j).is_none_or(|w| {
        w.text == "("
            || w.is_keyword("as")
            || w.is_keyword("with")
            || w.is_keyword("values")
            || w.is_keyword("select")
            || w.is_keyword("default")
            || w.is_keyword("overriding")
    });
    if !next_ok {
        return None;
    }
    let name = parts.pop()?;
    Some(QualifiedName {
        schema: parts.pop(),
        name,
    })
}

#[derive(Debug)]
struct Word<'a> {
    text: &'a str,
    quoted: bool,
}

impl Word<'_> {
    fn is_keyword(&self, keyword: &str) -> bool {
        !self.quoted && self.text.eq_ignore_ascii_case(keyword)
    }

    /// The identifier as PostgreSQL stores it: quoted names as written, others in lower case.
    fn ident(&self) -> Option<String> {
        if self.quoted {
            return Some(self.text.replace("\"\"", "\""));
        }
        let first = self.text.chars().next()?;
        (first.is_alphabetic() || first == '_').then(|| self.text.to_ascii_lowercase())
    }
}

/// Words, quoted identifiers and single punctuation characters, skipping white space and comments.
struct Words<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Words<'a> {
    fn new(text: &'a str) -> Self {
        Words { text, pos: 0 }
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = Word<'a>;

    fn next(&mut self) -> Option<Word<'a>> {
        let bytes = self.text.as_bytes();
        loop {
            while self.pos < bytes.len() && bytes[self.pos].is_ascii_whitespace() {
                self.pos += 1;
            }
            let rest = &self.text[self.pos..];
            if rest.starts_with("--") {
                self.pos += rest.find('\n').unwrap_or(rest.len());
            } else if rest.starts_with("/*") {
                self.pos += rest.find("*/").map_or(rest.len(), |i| i + 2);
            } else {
                break;
            }
        }
        let start = self.pos;
        let first = *bytes.get(start)?;
        if first == b'"' {
            let mut end = start + 1;
            while end < bytes.len() {
                if bytes[end] == b'"' {
                    if bytes.get(end + 1) == Some(&b'"') {
                        end += 2;
                        continue;
                    }
                    break;
                }
                end += 1;
            }
            self.pos = (end + 1).min(bytes.len());
            return Some(Word {
                text: &self.text[start + 1..end.min(bytes.len())],
                quoted: true,
            });
        }
        let len = bytes[start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_' || **b == b'$' || **b >= 0x80)
            .count();
        let len = if len == 0 {
            self.text[start..].chars().next().map_or(1, char::len_utf8)
        } else {
            len
        };
        self.pos = start + len;
        Some(Word {
            text: &self.text[start..start + len],
            quoted: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_views_inserts_and_selects() {
        let view = |t: &str| match lower(t) {
            Some(Stmt::CreateView {
                name,
                materialized,
                or_replace,
            }) => Some((name.to_string(), materialized, or_replace)),
            _ => None,
        };
        assert_eq!(
            view("CREATE VIEW v AS SELECT 1"),
            Some(("v".into(), false, false))
        );
        assert_eq!(
            view("create or replace temp recursive view App.\"My View\" (a) as select 1"),
            Some(("app.\"My View\"".into(), false, true))
        );
        assert_eq!(
            view("CREATE MATERIALIZED VIEW IF NOT EXISTS s.mv AS SELECT 1 WITH NO DATA"),
            Some(("s.mv".into(), true, false))
        );
        assert_eq!(
            view("/* c */ -- x\n CREATE VIEW v WITH (security_barrier) AS SELECT 1"),
            Some(("v".into(), false, false))
        );
        assert!(
            matches!(lower("INSERT INTO public.t (a) VALUES (1)"), Some(Stmt::Insert { table }) if table == QualifiedName::new(Some("public"), "t"))
        );
        assert!(
            matches!(lower("insert into t select 1"), Some(Stmt::Insert { table }) if table.name == "t")
        );
        assert!(matches!(lower("SELECT 1"), Some(Stmt::Select)));
    }

    #[test]
    fn leaves_everything_else_to_the_full_parse() {
        for text in [
            "CREATE TABLE t (a int)",
            "WITH x AS (SELECT 1) SELECT * FROM x",
            "CREATE VIEW",
            "UPDATE t SET a = 1",
            "create index on t (a)",
        ] {
            assert!(lower(text).is_none(), "{text}");
        }
    }
}
