//! Direct call into libpg_query (linked by the `pg_query` crate) for the one thing the crate's
//! safe API drops: the cursor position of a syntax error. It also skips the crate's walk over
//! every node that builds table and function lists we do not use.

use std::ffi::{CStr, CString, c_char, c_int};

use pg_query::protobuf::ParseResult;
use prost::Message;

#[repr(C)]
struct PgQueryError {
    message: *mut c_char,
    funcname: *mut c_char,
    filename: *mut c_char,
    lineno: c_int,
    cursorpos: c_int,
    context: *mut c_char,
}

#[repr(C)]
struct PgQueryProtobuf {
    len: usize,
    data: *mut c_char,
}

#[repr(C)]
struct PgQueryProtobufParseResult {
    parse_tree: PgQueryProtobuf,
    stderr_buffer: *mut c_char,
    error: *mut PgQueryError,
}

#[repr(C)]
struct PgQuerySplitStmt {
    stmt_location: c_int,
    stmt_len: c_int,
}

#[repr(C)]
struct PgQuerySplitResult {
    stmts: *mut *mut PgQuerySplitStmt,
    n_stmts: c_int,
    stderr_buffer: *mut c_char,
    error: *mut PgQueryError,
}

unsafe extern "C" {
    fn pg_query_parse_protobuf_opts(
        input: *const c_char,
        parser_options: c_int,
    ) -> PgQueryProtobufParseResult;
    fn pg_query_free_protobuf_parse_result(result: PgQueryProtobufParseResult);
    fn pg_query_split_with_parser(input: *const c_char) -> PgQuerySplitResult;
    fn pg_query_free_split_result(result: PgQuerySplitResult);
}

/// A parse failure: the server's message and the byte offset it points at, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawError {
    pub message: String,
    pub offset: Option<usize>,
}

/// Parse `sql` with the real PostgreSQL grammar. `sql` must not contain NUL bytes.
pub fn parse(sql: &str) -> Result<ParseResult, RawError> {
    let input = c_string(sql)?;
    // SAFETY: `input` is a valid NUL-terminated string that outlives the call; the result is
    // read only before it is freed, exactly once, by the library's own free function.
    unsafe {
        let result = pg_query_parse_protobuf_opts(input.as_ptr(), 0);
        let outcome = if result.error.is_null() {
            let data = std::slice::from_raw_parts(
                result.parse_tree.data as *const u8,
                result.parse_tree.len,
            );
            ParseResult::decode(data).map_err(|e| RawError {
                message: format!("could not decode the parse tree: {e}"),
                offset: None,
            })
        } else {
            Err(raw_error(sql, &*result.error))
        };
        pg_query_free_protobuf_parse_result(result);
        outcome
    }
}

/// Check `sql` against the grammar without building a tree; returns how many statements it holds.
pub fn check(sql: &str) -> Result<usize, RawError> {
    let input = c_string(sql)?;
    // SAFETY: as in `parse`; the split result is read before it is freed, once.
    unsafe {
        let result = pg_query_split_with_parser(input.as_ptr());
        let outcome = if result.error.is_null() {
            Ok(usize::try_from(result.n_stmts).unwrap_or(0))
        } else {
            Err(raw_error(sql, &*result.error))
        };
        pg_query_free_split_result(result);
        outcome
    }
}

/// The message and byte offset of a libpg_query error.
///
/// # Safety
/// `error.message` must be a valid C string.
unsafe fn raw_error(sql: &str, error: &PgQueryError) -> RawError {
    // SAFETY: the caller guarantees the message pointer.
    let message = unsafe { CStr::from_ptr(error.message) }
        .to_string_lossy()
        .into_owned();
    // cursorpos is 1-based and counts characters; 0 means "no position".
    let offset = usize::try_from(error.cursorpos)
        .ok()
        .filter(|&p| p > 0)
        .map(|p| char_to_byte_offset(sql, p - 1));
    RawError { message, offset }
}

fn c_string(sql: &str) -> Result<CString, RawError> {
    CString::new(sql).map_err(|e| RawError {
        message: "the text contains a NUL byte, which PostgreSQL does not accept".into(),
        offset: Some(e.nul_position()),
    })
}

fn char_to_byte_offset(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_the_offset_of_a_syntax_error() {
        let err = parse("select 1;\nselect from from t;").unwrap_err();
        assert!(err.message.contains("syntax error"), "{}", err.message);
        assert_eq!(err.offset, Some(22));
    }

    #[test]
    fn parses_valid_sql_into_statements() {
        let tree = parse("create table a (id int); select 1").unwrap();
        assert_eq!(tree.stmts.len(), 2);
    }

    #[test]
    fn check_validates_without_a_tree() {
        assert_eq!(check("select 1; select 2"), Ok(2));
        let err = check("select 1;\nselect from from t;").unwrap_err();
        assert_eq!(err.offset, Some(22));
    }

    #[test]
    fn a_nul_byte_is_an_error_not_a_panic() {
        let err = parse("select 1\0").unwrap_err();
        assert_eq!(err.offset, Some(8));
    }
}
