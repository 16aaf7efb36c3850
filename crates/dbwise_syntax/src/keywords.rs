//! Keyword classes, as PostgreSQL's grammar (the one libpg_query embeds) defines them.

/// PostgreSQL's "reserved" and "type or function name" key words (`src/include/parser/kwlist.h`),
/// in byte order for binary search. A test checks each against libpg_query's scanner.
const RESERVED: [&str; 101] = [
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "binary",
    "both",
    "case",
    "cast",
    "check",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "false",
    "fetch",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "group",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "intersect",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "natural",
    "not",
    "notnull",
    "null",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "outer",
    "overlaps",
    "placing",
    "primary",
    "references",
    "returning",
    "right",
    "select",
    "session_user",
    "similar",
    "some",
    "symmetric",
    "system_user",
    "table",
    "tablesample",
    "then",
    "to",
    "trailing",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
];

/// The longest of them (`current_timestamp`): longer names need no look-up.
const LONGEST: usize = 17;

/// Whether `name` is a keyword that cannot be used as a column or table name without quotes
/// (PostgreSQL's "reserved" and "type or function name" keyword classes). Key words are matched
/// regardless of ASCII case, as the scanner does.
pub fn is_reserved(name: &str) -> bool {
    if name.is_empty()
        || name.len() > LONGEST
        || !name.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_')
    {
        return false;
    }
    let mut lower = [0u8; LONGEST];
    let lower = &mut lower[..name.len()];
    lower.copy_from_slice(name.as_bytes());
    lower.make_ascii_lowercase();
    RESERVED
        .binary_search_by(|word| word.as_bytes().cmp(lower))
        .is_ok()
}

#[cfg(test)]
mod tests {
    use pg_query::protobuf::KeywordKind;

    /// The scanner's answer: one token, of the reserved or type/function-name keyword class.
    fn scanner_says_reserved(name: &str) -> bool {
        // The pg_query crate cannot scan an empty string (it reads a null token list).
        if name.is_empty() {
            return false;
        }
        let Ok(tokens) = pg_query::scan_tokens(name) else {
            return false;
        };
        matches!(tokens.as_slice(), [token] if token.end as usize == name.len()
        && matches!(
            KeywordKind::try_from(token.keyword_kind),
            Ok(KeywordKind::ReservedKeyword | KeywordKind::TypeFuncNameKeyword)
        ))
    }

    #[test]
    fn the_list_matches_the_scanner() {
        assert!(super::RESERVED.is_sorted());
        for word in super::RESERVED {
            assert!(scanner_says_reserved(word), "{word}");
            assert!(super::is_reserved(word), "{word}");
            assert!(super::is_reserved(&word.to_ascii_uppercase()), "{word}");
        }
        // Unreserved and column-name key words, and plain names, on either side of the list.
        for word in [
            "name",
            "status",
            "type",
            "position",
            "timestamp",
            "users",
            "between",
            "coalesce",
            "int",
            "time",
            "abort",
            "zone",
            "a",
            "zzz",
            "current_timestamps",
            "usera",
            "_",
            "",
            "user_id",
            "order1",
        ] {
            assert_eq!(
                super::is_reserved(word),
                scanner_says_reserved(word),
                "{word}"
            );
        }
    }
}
