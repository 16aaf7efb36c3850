//! Keyword classes, taken from libpg_query's scanner so they match the real grammar.

use pg_query::protobuf::KeywordKind;

/// Whether `name` is a keyword that cannot be used as a column or table name without quotes
/// (PostgreSQL's "reserved" and "type or function name" keyword classes).
pub fn is_reserved(name: &str) -> bool {
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_') {
        return false;
    }
    thread_local! {
        static KNOWN: std::cell::RefCell<std::collections::HashMap<String, bool>> = Default::default();
    }
    if let Some(known) = KNOWN.with(|k| k.borrow().get(name).copied()) {
        return known;
    }
    let reserved = scan_is_reserved(name);
    KNOWN.with(|k| k.borrow_mut().insert(name.to_owned(), reserved));
    reserved
}

/// Ask the scanner: one token, of the reserved or type/function-name keyword class.
fn scan_is_reserved(name: &str) -> bool {
    let Ok(tokens) = pg_query::scan_tokens(name) else {
        return false;
    };
    matches!(tokens.as_slice(), [token] if token.end as usize == name.len()
    && matches!(
        KeywordKind::try_from(token.keyword_kind),
        Ok(KeywordKind::ReservedKeyword | KeywordKind::TypeFuncNameKeyword)
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn classifies_keywords_like_the_grammar() {
        for word in ["user", "order", "table", "select", "left", "join"] {
            assert!(super::is_reserved(word), "{word}");
        }
        for word in [
            "name",
            "status",
            "type",
            "position",
            "timestamp",
            "users",
            "",
        ] {
            assert!(!super::is_reserved(word), "{word}");
        }
    }
}
