//! The calls into libpg_query (linked by the `pg_query` crate), and its raw parse tree, read in
//! place: the crate's API hands out a protobuf copy of the tree, whose encoding and decoding cost
//! several times the parse itself, and drops the cursor position of syntax errors.
//!
//! The tree lives in a PostgreSQL memory context that exists only for the duration of
//! [`parse`]'s callback. Everything the callback receives is tied to one `'t` lifetime the
//! callback cannot name outside itself, so no reference into the tree outlives the context.

use std::ffi::{CStr, CString, c_char, c_int};
use std::marker::PhantomData;

#[allow(
    non_upper_case_globals,
    non_camel_case_types,
    non_snake_case,
    dead_code,
    unsafe_op_in_unsafe_fn,
    clippy::all
)]
mod pg {
    include!(concat!(env!("OUT_DIR"), "/nodes.rs"));
}

pub(crate) use pg::{
    A_Const, A_Expr, A_Expr_Kind, AlterTableCmd, AlterTableStmt, AlterTableType, BoolExprType,
    ColumnDef, ConstrType, Constraint, CreateStmt, CreateTableAsStmt, DropBehavior, DropStmt,
    IndexStmt, List, MinMaxOp, Node as RawNode, NodeTag, NullTestType, ObjectType, RangeVar,
    ReindexObjectType, ReindexStmt, RenameStmt, SQLValueFunctionOp, SortByDir, TransactionStmtKind,
    TypeName, VariableSetKind, VariableSetStmt,
};

unsafe extern "C" {
    fn pg_query_raw_parse(
        input: *const c_char,
        parser_options: c_int,
    ) -> pg::PgQueryInternalParsetreeAndError;
    fn pg_query_enter_memory_context() -> pg::MemoryContext;
    fn pg_query_exit_memory_context(ctx: pg::MemoryContext);
    fn pg_query_free_error(error: *mut pg::PgQueryError);
    fn free(ptr: *mut std::ffi::c_void);
    fn pg_query_parse_protobuf_opts(
        input: *const c_char,
        parser_options: c_int,
    ) -> pg::PgQueryProtobufParseResult;
    fn pg_query_free_protobuf_parse_result(result: pg::PgQueryProtobufParseResult);
}

/// Parse `sql` into libpg_query's protobuf encoding of the tree and hand the bytes to `read`;
/// on a syntax error, the server's message. The `pg_query` crate's own `parse` also walks the
/// decoded tree for a summary of tables and functions, which nothing here reads.
pub(crate) fn parse_protobuf<T>(sql: &CStr, read: impl FnOnce(&[u8]) -> T) -> Result<T, String> {
    // SAFETY: the input is a valid C string that outlives the call; the result is freed below,
    // once, after its last use.
    let result = unsafe { pg_query_parse_protobuf_opts(sql.as_ptr(), 0) };
    let outcome = if result.error.is_null() {
        let tree = &result.parse_tree;
        let bytes = if tree.len == 0 || tree.data.is_null() {
            &[][..]
        } else {
            // SAFETY: libpg_query hands `len` bytes at `data`, alive until the result is freed.
            unsafe { std::slice::from_raw_parts(tree.data as *const u8, tree.len) }
        };
        Ok(read(bytes))
    } else {
        // SAFETY: a non-null error holds a valid C string message.
        Err(unsafe { CStr::from_ptr((*result.error).message) }
            .to_string_lossy()
            .into_owned())
    };
    // SAFETY: frees the tree bytes, the error and the stderr buffer, none of them used after.
    unsafe { pg_query_free_protobuf_parse_result(result) };
    outcome
}

/// A parse failure: the server's message and the byte offset it points at, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawError {
    pub message: String,
    pub offset: Option<usize>,
}

/// The message and byte offset of a libpg_query error.
///
/// # Safety
/// `error.message` must be a valid C string.
unsafe fn raw_error(sql: &str, error: &pg::PgQueryError) -> RawError {
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

/// Proof that a parse tree is alive for `'t`; only [`parse`] makes one.
///
/// Its readers take the raw pointers and references found in the tree's structs. They are
/// `unsafe fn`s: the type system cannot tell a pointer read from this tree from any other, so
/// each caller promises that it was (or is null).
#[derive(Clone, Copy)]
pub(crate) struct Tree<'t>(PhantomData<&'t ()>);

/// One top-level statement of the tree: its node and its byte range in the parsed text
/// (`len` is 0 for "to the end").
pub(crate) struct RawStatement<'t> {
    pub node: Option<Node<'t>>,
    pub location: i32,
    pub len: i32,
}

/// Leaves the memory context that holds the tree when dropped, also when the callback panics.
struct MemoryContextGuard(pg::MemoryContext);

impl Drop for MemoryContextGuard {
    fn drop(&mut self) {
        // SAFETY: the context was entered by `parse` and is left exactly once, here.
        unsafe { pg_query_exit_memory_context(self.0) }
    }
}

/// Frees a buffer that libpg_query allocated with `malloc`, when dropped.
struct MallocGuard(*mut c_char);

impl Drop for MallocGuard {
    fn drop(&mut self) {
        // SAFETY: the buffer came from libpg_query's malloc (or is null) and is freed only here.
        unsafe { free(self.0.cast()) }
    }
}

/// Parse `sql` with the PostgreSQL grammar and hand every top-level statement to `each` while
/// the tree exists. `sql` must not contain NUL bytes.
pub(crate) fn parse(
    sql: &str,
    mut each: impl for<'t> FnMut(Tree<'t>, RawStatement<'t>),
) -> Result<(), RawError> {
    let input = c_string(sql)?;
    // SAFETY: the input is a valid C string that outlives the call. The tree is allocated in the
    // memory context entered here and left by the guard, after the last use of the tree.
    let _context = MemoryContextGuard(unsafe { pg_query_enter_memory_context() });
    // SAFETY: as above.
    let result = unsafe { pg_query_raw_parse(input.as_ptr(), 0) };
    let _stderr = MallocGuard(result.stderr_buffer);
    if !result.error.is_null() {
        // SAFETY: a non-null error is a valid libpg_query error, freed here exactly once.
        return unsafe {
            let error = raw_error(sql, &*result.error);
            pg_query_free_error(result.error);
            Err(error)
        };
    }
    let tree = Tree(PhantomData);
    // SAFETY: the statement list and its RawStmts are the tree's, alive until the guard drops.
    for cell in unsafe { tree.cells(result.tree) } {
        // SAFETY: the cells of the statement list point to RawStmt nodes of the tree.
        let Some(raw) = (unsafe { tree.deref(cell.ptr_value as *const pg::RawStmt) }) else {
            continue;
        };
        each(
            tree,
            RawStatement {
                // SAFETY: the statement's node is part of the tree.
                node: unsafe { tree.node(raw.stmt) },
                location: raw.stmt_location,
                len: raw.stmt_len,
            },
        );
    }
    Ok(())
}

impl<'t> Tree<'t> {
    /// The struct behind a pointer, if it is not null.
    ///
    /// # Safety
    /// `ptr` is null or was read from this tree and points to a `T`.
    pub unsafe fn deref<T>(self, ptr: *const T) -> Option<&'t T> {
        // SAFETY: the caller's promise; the tree's memory context is alive for 't.
        unsafe { ptr.as_ref() }
    }

    /// A C string of the tree; null reads as "" (the parser leaves unset names null).
    ///
    /// # Safety
    /// `ptr` is null or a NUL-terminated string of this tree.
    pub unsafe fn str(self, ptr: *const c_char) -> &'t str {
        if ptr.is_null() {
            return "";
        }
        // SAFETY: the caller's promise.
        let bytes = unsafe { CStr::from_ptr(ptr) }.to_bytes();
        match std::str::from_utf8(bytes) {
            Ok(text) => text,
            // The input was UTF-8; a name cut at 63 bytes may end inside a character.
            Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default(),
        }
    }

    /// The cells of a list of pointers: empty for `NIL` and for lists of integers, OIDs or
    /// transaction ids, whose cells hold numbers.
    ///
    /// # Safety
    /// `list` is null or a `List` of this tree.
    unsafe fn cells(self, list: *const pg::List) -> &'t [pg::ListCell] {
        // SAFETY: the caller's promise.
        match unsafe { self.deref(list) } {
            Some(list) if list.type_ == NodeTag::T_List && list.length > 0 => {
                if list.elements.is_null() {
                    return &[];
                }
                let length = usize::try_from(list.length).unwrap_or(0);
                // SAFETY: a List holds `length` initialised cells at `elements`.
                unsafe { std::slice::from_raw_parts(list.elements, length) }
            }
            _ => &[],
        }
    }

    /// The nodes of a node list (`NIL` and lists of numbers are empty).
    ///
    /// # Safety
    /// `list` is null or a `List` of this tree.
    pub unsafe fn list(self, list: *const pg::List) -> impl Iterator<Item = Node<'t>> {
        // SAFETY: the caller's promise.
        unsafe { self.cells(list) }
            .iter()
            // SAFETY: the cells of a T_List hold node pointers of the same tree.
            .filter_map(move |cell| unsafe { self.node(cell.ptr_value as *const pg::Node) })
    }

    /// The values of a list of `String` nodes, skipping anything else.
    ///
    /// # Safety
    /// `list` is null or a `List` of this tree.
    pub unsafe fn strings<S: for<'s> From<&'s str>>(self, list: *const pg::List) -> Vec<S> {
        // SAFETY: the caller's promise; the strings are the tree's.
        unsafe { self.list(list) }
            .filter_map(|n| match n {
                Node::String(s) => Some(S::from(unsafe { self.str(s.sval) })),
                _ => None,
            })
            .collect()
    }

    /// The value of a node that is a `String`.
    ///
    /// # Safety
    /// `node` was read from this tree.
    pub unsafe fn string_of(self, node: Node<'t>) -> Option<&'t str> {
        match node {
            // SAFETY: the caller's promise; the string is the tree's.
            Node::String(s) => Some(unsafe { self.str(s.sval) }),
            _ => None,
        }
    }

    /// The value of a constant (`Integer`, `Float`, `Boolean`, `String` or `BitString`), or
    /// `None` for NULL.
    ///
    /// # Safety
    /// `c` was read from this tree.
    pub unsafe fn const_value(self, c: &'t pg::A_Const) -> Option<Node<'t>> {
        if c.isnull {
            return None;
        }
        // SAFETY: every member of the value union is a node that starts with its tag, and the
        // constant is the tree's.
        unsafe { self.node(&c.val.node) }
    }

    /// The typed view of a node, by its tag.
    ///
    /// # Safety
    /// `ptr` is null or a node of this tree.
    pub unsafe fn node(self, ptr: *const pg::Node) -> Option<Node<'t>> {
        // SAFETY: the caller's promise.
        let tag = unsafe { self.deref(ptr) }?.type_;
        // SAFETY: the node is the tree's and starts with its tag.
        Some(unsafe { Node::view(tag, ptr) })
    }
}

/// Declares `Node`, the typed view of the node kinds the lowering reads, with the tag of each.
macro_rules! nodes {
    ($($tag:ident => $variant:ident($ty:ident)),* $(,)?) => {
        /// A node of the raw tree, viewed as its struct; the kinds the lowering does not read are
        /// `Other` with their tag.
        #[derive(Clone, Copy)]
        pub(crate) enum Node<'t> {
            $($variant(&'t pg::$ty),)*
            Other(NodeTag),
        }

        impl<'t> Node<'t> {
            /// # Safety
            /// `ptr` points to a node tagged `tag`, alive for `'t`.
            unsafe fn view(tag: NodeTag, ptr: *const pg::Node) -> Node<'t> {
                match tag {
                    // SAFETY: the tag says which struct the node is; the caller's promise.
                    $(NodeTag::$tag => Node::$variant(unsafe { &*(ptr as *const pg::$ty) }),)*
                    other => Node::Other(other),
                }
            }

            /// The node's kind.
            pub fn tag(self) -> NodeTag {
                match self {
                    $(Node::$variant(_) => NodeTag::$tag,)*
                    Node::Other(tag) => tag,
                }
            }
        }
    };
}

nodes! {
    T_A_ArrayExpr => ArrayExpr(A_ArrayExpr),
    T_A_Const => Const(A_Const),
    T_A_Expr => Expr(A_Expr),
    T_AlterEnumStmt => AlterEnumStmt(AlterEnumStmt),
    T_AlterSeqStmt => AlterSeqStmt(AlterSeqStmt),
    T_AlterTableCmd => AlterTableCmd(AlterTableCmd),
    T_AlterTableStmt => AlterTableStmt(AlterTableStmt),
    T_BitString => BitString(BitString),
    T_Boolean => Boolean(Boolean),
    T_BoolExpr => BoolExpr(BoolExpr),
    T_ClusterStmt => ClusterStmt(ClusterStmt),
    T_CoalesceExpr => CoalesceExpr(CoalesceExpr),
    T_CollateClause => CollateClause(CollateClause),
    T_ColumnDef => ColumnDef(ColumnDef),
    T_ColumnRef => ColumnRef(ColumnRef),
    T_Constraint => Constraint(Constraint),
    T_CopyStmt => CopyStmt(CopyStmt),
    T_CreateDomainStmt => CreateDomainStmt(CreateDomainStmt),
    T_CreateEnumStmt => CreateEnumStmt(CreateEnumStmt),
    T_CreateExtensionStmt => CreateExtensionStmt(CreateExtensionStmt),
    T_CreateFunctionStmt => CreateFunctionStmt(CreateFunctionStmt),
    T_CreateSchemaStmt => CreateSchemaStmt(CreateSchemaStmt),
    T_CreateSeqStmt => CreateSeqStmt(CreateSeqStmt),
    T_CreateStmt => CreateStmt(CreateStmt),
    T_CreateTableAsStmt => CreateTableAsStmt(CreateTableAsStmt),
    T_CreateTrigStmt => CreateTrigStmt(CreateTrigStmt),
    T_DefElem => DefElem(DefElem),
    T_DeleteStmt => DeleteStmt(DeleteStmt),
    T_DropStmt => DropStmt(DropStmt),
    T_Float => Float(Float),
    T_FuncCall => FuncCall(FuncCall),
    T_IndexElem => IndexElem(IndexElem),
    T_IndexStmt => IndexStmt(IndexStmt),
    T_InsertStmt => InsertStmt(InsertStmt),
    T_Integer => Integer(Integer),
    T_List => List(List),
    T_LockStmt => LockStmt(LockStmt),
    T_MinMaxExpr => MinMaxExpr(MinMaxExpr),
    T_NullTest => NullTest(NullTest),
    T_ParamRef => ParamRef(ParamRef),
    T_PartitionCmd => PartitionCmd(PartitionCmd),
    T_RangeVar => RangeVar(RangeVar),
    T_RefreshMatViewStmt => RefreshMatViewStmt(RefreshMatViewStmt),
    T_ReindexStmt => ReindexStmt(ReindexStmt),
    T_RenameStmt => RenameStmt(RenameStmt),
    T_RowExpr => RowExpr(RowExpr),
    T_SQLValueFunction => SqlValueFunction(SQLValueFunction),
    T_String => String(String),
    T_TableLikeClause => TableLikeClause(TableLikeClause),
    T_TransactionStmt => TransactionStmt(TransactionStmt),
    T_TruncateStmt => TruncateStmt(TruncateStmt),
    T_TypeCast => TypeCast(TypeCast),
    T_TypeName => TypeName(TypeName),
    T_UpdateStmt => UpdateStmt(UpdateStmt),
    T_VacuumRelation => VacuumRelation(VacuumRelation),
    T_VacuumStmt => VacuumStmt(VacuumStmt),
    T_VariableSetStmt => VariableSetStmt(VariableSetStmt),
    T_ViewStmt => ViewStmt(ViewStmt),
}

/// The name of a C enum value as PostgreSQL spells it (`T_CreatePolicyStmt`,
/// `AT_SetStatistics`) without `prefix`, from the generated `name()` of its new-type; a value
/// the bindings do not know is "unknown".
pub(crate) fn enum_name(name: Option<&'static str>, prefix: &str) -> &'static str {
    name.map_or("unknown", |name| name.strip_prefix(prefix).unwrap_or(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statement_count(sql: &str) -> Result<usize, RawError> {
        let mut count = 0;
        parse(sql, |_, _| count += 1)?;
        Ok(count)
    }

    #[test]
    fn reports_the_offset_of_a_syntax_error() {
        let err = statement_count("select 1;\nselect from from t;").unwrap_err();
        assert!(err.message.contains("syntax error"), "{}", err.message);
        assert_eq!(err.offset, Some(22));
    }

    #[test]
    fn parses_valid_sql_into_statements() {
        let mut tags = Vec::new();
        parse("create table a (id int); select 1", |_, statement| {
            tags.push(match statement.node {
                Some(Node::CreateStmt(_)) => "create",
                Some(Node::Other(NodeTag::T_SelectStmt)) => "select",
                _ => "other",
            })
        })
        .unwrap();
        assert_eq!(tags, ["create", "select"]);
    }

    #[test]
    fn a_nul_byte_is_an_error_not_a_panic() {
        let err = statement_count("select 1\0").unwrap_err();
        assert_eq!(err.offset, Some(8));
    }

    #[test]
    fn enum_names_are_postgres_spellings() {
        assert_eq!(
            enum_name(NodeTag::T_CreatePolicyStmt.name(), "T_"),
            "CreatePolicyStmt"
        );
        assert_eq!(
            enum_name(AlterTableType::AT_SetStatistics.name(), ""),
            "AT_SetStatistics"
        );
    }

    #[test]
    fn a_tag_the_bindings_do_not_know_is_an_other_node() {
        let stranger = NodeTag(60_000);
        let node = RawNode { type_: stranger };
        let tree = Tree(PhantomData);
        // SAFETY: the node is alive for the whole test and starts with its tag.
        let viewed = unsafe { tree.node(&node) };
        assert!(matches!(viewed, Some(Node::Other(tag)) if tag == stranger));
        assert_eq!(enum_name(stranger.name(), "T_"), "unknown");
    }

    #[test]
    fn lists_of_numbers_yield_no_nodes() {
        let mut cells = [pg::ListCell { int_value: 7 }, pg::ListCell { int_value: 8 }];
        let mut list = List {
            type_: NodeTag::T_IntList,
            length: 2,
            max_length: 2,
            elements: cells.as_mut_ptr(),
            initial_elements: pg::__IncompleteArrayField::new(),
        };
        let tree = Tree(PhantomData);
        // SAFETY: the list and its cells are alive for the whole test.
        assert_eq!(unsafe { tree.list(&list) }.count(), 0);
        list.type_ = NodeTag::T_OidList;
        assert_eq!(unsafe { tree.list(&list) }.count(), 0);
    }
}
