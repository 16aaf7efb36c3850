//! A fast lexical pre-normaliser for statement texts.
//!
//! It turns a statement into a cache key by replacing literals and `$n` parameters with `?`,
//! dropping comments and collapsing whitespace. Two texts with the same key differ only in
//! things libpg_query's fingerprint ignores (constant values, parameters, comments, layout), so
//! the expensive parse and fingerprint run once per key, not once per executed statement.
//! Literals are replaced only in DML (SELECT, INSERT, UPDATE, DELETE, MERGE, WITH, VALUES,
//! TABLE), where every literal is a constant node that the fingerprint skips; utility and DDL
//! statements keep them (`ALTER TYPE t ADD VALUE 'x'` and `... 'y'` are different shapes).
//! While scanning it also hashes the literal values (to tell executions with different
//! parameters apart) and picks the trace id out of a sqlcommenter `traceparent` comment.

use dbwise_syntax::tokens::{TokenKind, tokens};

/// What one scan of a statement produced besides the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Scanned {
    /// Hash of the literal values in order of appearance.
    pub literals: u64,
    /// Hash of the W3C trace id in a `traceparent` comment, when there is one.
    pub trace: Option<u64>,
    /// No string or number literal in the text (`$n` parameters may be there): the same text
    /// comes back on every execution of the statement.
    pub constant_free: bool,
}

/// Write the cache key of `sql` into `key` (cleared first).
pub fn normalize_into(sql: &str, key: &mut String) -> Scanned {
    key.clear();
    let mut out: Vec<u8> = std::mem::take(key).into_bytes();
    let mut literals = Hasher::default();
    let mut trace = None;
    let replace = is_dml(sql);
    let mut pending_space = false;
    let mut constant_free = true;
    for token in tokens(sql) {
        let text = &sql.as_bytes()[token.range()];
        match token.kind {
            TokenKind::Space | TokenKind::LineComment => pending_space = true,
            TokenKind::BlockComment => {
                if trace.is_none() {
                    trace = traceparent(text);
                }
                pending_space = true;
            }
            kind => {
                if pending_space && !out.is_empty() {
                    out.push(b' ');
                }
                pending_space = false;
                if matches!(
                    kind,
                    TokenKind::String | TokenKind::Number | TokenKind::Param
                ) {
                    literals.write(text);
                    constant_free &= kind == TokenKind::Param;
                    if replace {
                        out.push(b'?');
                        continue;
                    }
                }
                out.extend_from_slice(text);
            }
        }
    }
    // Only ASCII bytes were inserted and whole tokens copied, so this cannot fail; fall back to
    // a lossy copy rather than trusting that.
    *key = String::from_utf8(out)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Scanned {
        literals: literals.finish(),
        trace,
        constant_free,
    }
}

/// Whether the statement (after leading blanks, comments and parentheses) starts with a DML
/// keyword.
fn is_dml(sql: &str) -> bool {
    tokens(sql)
        .find(|t| !t.kind.is_trivia() && &sql[t.range()] != "(")
        .is_some_and(|t| {
            let word = &sql[t.range()];
            t.kind == TokenKind::Ident
                && [
                    "select", "insert", "update", "delete", "merge", "with", "values", "table",
                ]
                .iter()
                .any(|k| word.eq_ignore_ascii_case(k))
        })
}

/// The trace id of a W3C `traceparent='00-<32 hex trace id>-<16 hex span id>-<flags>'` value
/// inside a comment, hashed.
fn traceparent(comment: &[u8]) -> Option<u64> {
    let at = memchr::memmem::find(comment, b"traceparent")?;
    let rest = &comment[at + "traceparent".len()..];
    let start = memchr::memchr(b'-', rest)? + 1;
    let id = rest.get(start..start + 32)?;
    if !id.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let mut hasher = Hasher::default();
    hasher.write(id);
    Some(hasher.finish())
}

/// A small, fast, non-cryptographic hash (FxHash-style word mixing).
#[derive(Default)]
pub(crate) struct Hasher(u64);

impl Hasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    pub(crate) fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
            self.add(word);
        }
        let mut tail = [0u8; 8];
        let rest = chunks.remainder();
        tail[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(tail) ^ (rest.len() as u64) << 56);
    }

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }

    pub(crate) fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(sql: &str) -> (String, Scanned) {
        let mut key = String::new();
        let scanned = normalize_into(sql, &mut key);
        (key, scanned)
    }

    #[test]
    fn literals_and_parameters_become_placeholders() {
        let (k, _) = key("SELECT abalance FROM pgbench_accounts WHERE aid = 4711;");
        assert_eq!(k, "SELECT abalance FROM pgbench_accounts WHERE aid = ?;");
        let (k, _) = key(
            "select * from t where a = $1 and b = 'x''y' and c = E'\\'' and d = $$q$$ and e = 1.5e-3",
        );
        assert_eq!(
            k,
            "select * from t where a = ? and b = ? and c = ? and d = ? and e = ?"
        );
    }

    #[test]
    fn a_word_ending_in_e_does_not_make_the_next_string_an_escape_string() {
        let (k, _) = key("SELECT * FROM t WHERE a like'x\\' AND b = 'y'");
        assert_eq!(k, "SELECT * FROM t WHERE a like? AND b = ?");
    }

    #[test]
    fn digits_inside_identifiers_and_quoted_names_are_kept() {
        let (k, _) = key("SELECT t1.c2 FROM \"Tab 3\" t1 WHERE x$1 = 0x1F");
        assert_eq!(k, "SELECT t1.c2 FROM \"Tab 3\" t1 WHERE x$1 = ?");
    }

    #[test]
    fn comments_and_layout_do_not_change_the_key() {
        let (a, _) = key("SELECT 1 /* a /* nested */ comment */ FROM t -- trailing\n WHERE  x = 2");
        let (b, _) = key("SELECT 7 FROM t WHERE x = 9");
        assert_eq!(a, b);
    }

    #[test]
    fn different_literal_values_hash_differently() {
        let (_, a) = key("SELECT * FROM t WHERE id = 1");
        let (_, b) = key("SELECT * FROM t WHERE id = 2");
        let (_, c) = key("SELECT * FROM t WHERE id  =  1");
        assert_ne!(a.literals, b.literals);
        assert_eq!(a.literals, c.literals);
    }

    #[test]
    fn traceparent_comment_gives_a_trace() {
        let sql = "SELECT 1 /*controller='users',traceparent='00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'*/";
        let other =
            "SELECT 1 /*traceparent='00-1af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'*/";
        let (_, a) = key(sql);
        let (_, b) = key(other);
        assert!(a.trace.is_some());
        assert_ne!(a.trace, b.trace);
        assert_eq!(key("SELECT 1 /* no trace */").1.trace, None);
    }

    #[test]
    fn utility_statements_keep_their_literals() {
        assert_eq!(
            key("ALTER TYPE mood ADD VALUE 'ok'").0,
            "ALTER TYPE mood ADD VALUE 'ok'"
        );
        assert_eq!(
            key("SET statement_timeout = 50").0,
            "SET statement_timeout = 50"
        );
        assert_eq!(
            key("/* x */ (SELECT 1) UNION SELECT 2").0,
            "(SELECT ?) UNION SELECT ?"
        );
        assert_eq!(
            key("with t as (select 1) select * from t").0,
            "with t as (select ?) select * from t"
        );
    }

    #[test]
    fn unterminated_literals_and_comments_end_at_the_end() {
        assert_eq!(key("SELECT 'abc").0, "SELECT ?");
        assert_eq!(key("SELECT 1 /* open").0, "SELECT ?");
        assert_eq!(key("SELECT $tag$ open").0, "SELECT ?");
    }
}
