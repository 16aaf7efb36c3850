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

/// What one scan of a statement produced besides the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Scanned {
    /// Hash of the literal values in order of appearance.
    pub literals: u64,
    /// Hash of the W3C trace id in a `traceparent` comment, when there is one.
    pub trace: Option<u64>,
}

/// Write the cache key of `sql` into `key` (cleared first).
pub fn normalize_into(sql: &str, key: &mut String) -> Scanned {
    key.clear();
    let bytes = sql.as_bytes();
    let mut out: Vec<u8> = std::mem::take(key).into_bytes();
    let mut literals = Hasher::default();
    let mut trace = None;
    let replace = is_dml(bytes);
    let mut i = 0;
    let mut pending_space = false;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0c => {
                pending_space = true;
                i += 1;
                continue;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                i = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |n| i + n);
                pending_space = true;
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = block_comment_end(bytes, i);
                if trace.is_none() {
                    trace = traceparent(&bytes[i..end]);
                }
                i = end;
                pending_space = true;
                continue;
            }
            _ => {}
        }
        if pending_space && !out.is_empty() {
            out.push(b' ');
        }
        pending_space = false;
        let prev_ident = out.last().is_some_and(|&p| is_ident(p));
        match b {
            b'\'' => {
                let escapes = prev_ident && matches!(out.last(), Some(b'e' | b'E'));
                let end = quoted_end(bytes, i, escapes);
                literal(&mut out, &mut literals, &bytes[i..end], replace);
                i = end;
            }
            b'"' => {
                let end = identifier_end(bytes, i);
                out.extend_from_slice(&bytes[i..end]);
                i = end;
            }
            b'$' if !prev_ident => {
                if bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
                    let end = i
                        + 1
                        + bytes[i + 1..]
                            .iter()
                            .take_while(|c| c.is_ascii_digit())
                            .count();
                    literal(&mut out, &mut literals, &bytes[i..end], replace);
                    i = end;
                } else if let Some(end) = dollar_quoted_end(bytes, i) {
                    literal(&mut out, &mut literals, &bytes[i..end], replace);
                    i = end;
                } else {
                    out.push(b);
                    i += 1;
                }
            }
            b'0'..=b'9' if !prev_ident => {
                let end = number_end(bytes, i);
                literal(&mut out, &mut literals, &bytes[i..end], replace);
                i = end;
            }
            b'.' if !prev_ident && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                let end = number_end(bytes, i);
                literal(&mut out, &mut literals, &bytes[i..end], replace);
                i = end;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    // Only ASCII bytes were inserted and whole UTF-8 sequences copied, so this cannot fail;
    // fall back to a lossy copy rather than trusting that.
    *key = String::from_utf8(out)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Scanned {
        literals: literals.finish(),
        trace,
    }
}

fn literal(out: &mut Vec<u8>, literals: &mut Hasher, text: &[u8], replace: bool) {
    literals.write(text);
    if replace {
        out.push(b'?');
    } else {
        out.extend_from_slice(text);
    }
}

/// Whether the statement (after leading blanks, comments and parentheses) starts with a DML
/// keyword.
fn is_dml(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0c | b'(' => i += 1,
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                i = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |n| i + n);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => i = block_comment_end(bytes, i),
            _ => break,
        }
    }
    let word_len = bytes[i..]
        .iter()
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    let word = &bytes[i..i + word_len];
    [
        "select", "insert", "update", "delete", "merge", "with", "values", "table",
    ]
    .iter()
    .any(|k| word.eq_ignore_ascii_case(k.as_bytes()))
}

pub(crate) fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// End of a (possibly nested) `/* */` comment starting at `start`; the end of input if unclosed.
pub(crate) fn block_comment_end(bytes: &[u8], start: usize) -> usize {
    let mut depth = 0usize;
    let mut i = start;
    while i + 1 < bytes.len() {
        match (bytes[i], bytes[i + 1]) {
            (b'/', b'*') => {
                depth += 1;
                i += 2;
            }
            (b'*', b'/') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return i;
                }
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

/// End of a `'...'` literal; `''` is a quote inside it, and with `escapes` (E'...') so is `\'`.
pub(crate) fn quoted_end(bytes: &[u8], start: usize, escapes: bool) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if escapes => i += 2,
            b'\'' if bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b'\'' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

pub(crate) fn identifier_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        if bytes[i] == b'"' {
            if bytes.get(i + 1) == Some(&b'"') {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    bytes.len()
}

/// End of a `$tag$ ... $tag$` string starting at `start`, or `None` when `$` does not open one.
pub(crate) fn dollar_quoted_end(bytes: &[u8], start: usize) -> Option<usize> {
    let tag_len = bytes[start + 1..]
        .iter()
        .take_while(|&&c| c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80)
        .count();
    let close = start + 1 + tag_len;
    if bytes.get(close) != Some(&b'$') || bytes.get(start + 1).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let tag = &bytes[start..=close];
    let body = close + 1;
    Some(memchr::memmem::find(&bytes[body..], tag).map_or(bytes.len(), |n| body + n + tag.len()))
}

/// End of a numeric literal: digits, one decimal point, an exponent, and the letters and
/// underscores of `0x1F` / `1_000` forms.
fn number_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start;
    let mut seen_point = false;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_digit() || c == b'_' {
            i += 1;
        } else if c == b'.' && !seen_point && bytes.get(i + 1) != Some(&b'.') {
            seen_point = true;
            i += 1;
        } else if (c == b'e' || c == b'E')
            && (bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
                || (matches!(bytes.get(i + 1), Some(b'+' | b'-'))
                    && bytes.get(i + 2).is_some_and(u8::is_ascii_digit)))
        {
            i += 2;
        } else if c.is_ascii_alphabetic() && i == start + 1 && bytes[start] == b'0' {
            // 0x, 0o, 0b prefixes
            i += 1;
        } else if c.is_ascii_hexdigit() && i > start + 1 && matches!(bytes[start + 1], b'x' | b'X')
        {
            i += 1;
        } else {
            break;
        }
    }
    i
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
            "select * from t where a = ? and b = ? and c = E? and d = ? and e = ?"
        );
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
