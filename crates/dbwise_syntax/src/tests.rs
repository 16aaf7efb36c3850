use super::*;
use crate::ast::*;

fn parse_text(text: &str) -> ParsedFile {
    parse(&SourceFile::new("t.sql", text))
}

#[test]
fn statements_carry_exact_trimmed_spans() {
    let file = parse_text("-- leading\ncreate table a (id int);\n\n/* c */ select 1 ;\n");
    let texts: Vec<&str> = file
        .statements
        .iter()
        .map(|s| file.source.slice(s.span))
        .collect();
    assert_eq!(texts, vec!["create table a (id int)", "select 1"]);
    assert!(file.errors.is_empty());
    assert_eq!(file.leading_comments(0).count(), 1);
    assert_eq!(file.leading_comments(1).count(), 1);
}

#[test]
fn a_bad_statement_does_not_hide_the_others() {
    let file =
        parse_text("create table a (id int);\ncreate tabel b (id int);\ncreate table c (id int);");
    assert_eq!(file.statements.len(), 2);
    assert_eq!(file.errors.len(), 1);
    let error = &file.errors[0];
    assert!(error.message.contains("syntax error"), "{}", error.message);
    assert_eq!(file.source.slice(error.span), "t");
    assert_eq!(file.source.line_col(error.span.start).line, 2);
}

#[test]
fn psql_meta_commands_are_skipped_not_errors() {
    let file = parse_text(
        "\\set ON_ERROR_STOP 1\nBEGIN;\ncreate table a (id int);\n\\i other.sql\nCOMMIT;\n",
    );
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    assert_eq!(file.statements.len(), 3);
    assert_eq!(file.skipped.len(), 2);
}

#[test]
fn lowers_create_table_with_inline_and_table_constraints() {
    let file = parse_text(
        "create table shop.orders (
            id bigint generated always as identity primary key,
            customer_id int not null references customers (id) on delete cascade,
            total numeric(12,2) default 0 check (total >= 0),
            created_at timestamp default now(),
            unique (customer_id, created_at)
        );",
    );
    let Stmt::CreateTable(t) = &file.statements[0].stmt else {
        panic!("not a create table")
    };
    assert_eq!(t.name, QualifiedName::new(Some("shop"), "orders"));
    assert_eq!(file.source.slice(t.name_span), "shop.orders");
    assert_eq!(t.columns.len(), 4);
    let id = &t.columns[0];
    assert_eq!(id.identity, Some(Identity::Always));
    assert!(id.not_null);
    assert!(
        matches!(id.constraints[0].kind, ConstraintKind::PrimaryKey { ref columns, .. } if columns == &["id"])
    );
    let customer = &t.columns[1];
    assert_eq!(file.source.slice(customer.name_span), "customer_id");
    let ConstraintKind::ForeignKey(fk) = &customer.constraints[0].kind else {
        panic!("no fk")
    };
    assert_eq!(fk.columns, vec!["customer_id"]);
    assert_eq!(fk.target, QualifiedName::new(None, "customers"));
    assert_eq!(fk.on_delete, 'c');
    let total = &t.columns[2];
    assert_eq!(total.type_name.as_ref().unwrap().display(), "numeric(12,2)");
    assert!(total.default.as_ref().unwrap().is_constant);
    let created = &t.columns[3];
    assert_eq!(
        created.type_name.as_ref().unwrap().display(),
        "timestamp without time zone"
    );
    assert_eq!(created.default.as_ref().unwrap().functions, vec!["now"]);
    assert!(
        matches!(t.constraints[0].kind, ConstraintKind::Unique { ref columns, .. } if columns.len() == 2)
    );
}

#[test]
fn lowers_alter_table_commands() {
    let file = parse_text(
        "alter table only t add column if not exists c text not null default 'x',
            alter column d type bigint using d::bigint,
            alter column e set not null,
            add constraint fk foreign key (a) references u (id) not valid,
            validate constraint fk,
            drop column f cascade;",
    );
    let Stmt::AlterTable(a) = &file.statements[0].stmt else {
        panic!("not alter table")
    };
    assert!(a.only);
    let kinds: Vec<&AlterTableAction> = a.cmds.iter().map(|c| &c.action).collect();
    assert!(
        matches!(kinds[0], AlterTableAction::AddColumn { column, if_not_exists: true } if column.not_null && column.default.as_ref().unwrap().string_value.as_deref() == Some("x"))
    );
    assert!(
        matches!(kinds[1], AlterTableAction::AlterColumnType { column, type_name, using: Some(_) } if column == "d" && type_name.name == "int8")
    );
    assert!(matches!(kinds[2], AlterTableAction::SetNotNull { column } if column == "e"));
    assert!(matches!(kinds[3], AlterTableAction::AddConstraint(c) if c.not_valid));
    assert!(matches!(kinds[4], AlterTableAction::ValidateConstraint { name } if name == "fk"));
    assert!(
        matches!(kinds[5], AlterTableAction::DropColumn { name, cascade: true, .. } if name == "f")
    );
}

#[test]
fn lowers_indexes_renames_drops_and_enums() {
    let file = parse_text(
        "create unique index concurrently if not exists i on t using btree (a, lower(b) desc) include (c) where d is null;
         alter table t rename column a to b;
         drop index concurrently if exists i, j;
         create type mood as enum ('sad', 'ok');
         alter type mood add value if not exists 'happy';
         set search_path = app, public;",
    );
    let stmts: Vec<&Stmt> = file.statements.iter().map(|s| &s.stmt).collect();
    let Stmt::CreateIndex(i) = stmts[0] else {
        panic!()
    };
    assert!(i.unique && i.concurrently && i.if_not_exists);
    assert_eq!(i.elems[0].column.as_deref(), Some("a"));
    assert_eq!(i.elems[1].expr.as_ref().unwrap().text, "lower(b)");
    assert!(i.elems[1].descending);
    assert_eq!(i.include, vec!["c"]);
    assert_eq!(i.predicate.as_ref().unwrap().text, "d IS NULL");
    assert!(
        matches!(stmts[1], Stmt::Rename(r) if r.kind == ObjectKind::Column && r.subname.as_deref() == Some("a") && r.new_name == "b")
    );
    assert!(
        matches!(stmts[2], Stmt::Drop(d) if d.kind == ObjectKind::Index && d.concurrently && d.names.len() == 2)
    );
    assert!(matches!(stmts[3], Stmt::CreateEnum { values, .. } if values.len() == 2));
    assert!(
        matches!(stmts[4], Stmt::AlterEnumAddValue { value, if_not_exists: true, .. } if value == "happy")
    );
    assert!(
        matches!(stmts[5], Stmt::Set { name, value: Some(v), .. } if name == "search_path" && v == "app, public")
    );
}

#[test]
fn copy_data_and_quoted_identifiers_survive() {
    let file = parse_text(
        "CREATE TABLE \"User\" (\"order\" int);\nCOPY \"User\" FROM stdin;\n1\n\\.\nselect 1;",
    );
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    assert_eq!(file.statements.len(), 3);
    let Stmt::CreateTable(t) = &file.statements[0].stmt else {
        panic!()
    };
    assert_eq!(t.name.name, "User");
    assert_eq!(file.source.slice(t.columns[0].name_span), "\"order\"");
}

#[test]
fn unmodelled_statements_are_named() {
    let file = parse_text("create policy p on t using (true);");
    assert!(matches!(
        file.statements[0].stmt,
        Stmt::Other("CreatePolicyStmt")
    ));
}

#[test]
fn type_names_display_as_postgresql_writes_them() {
    let file = parse_text(
        "create table t (a timestamp(3), b varchar(36), c timestamptz, d numeric(12,2)[], e interval);",
    );
    let Stmt::CreateTable(t) = &file.statements[0].stmt else {
        panic!()
    };
    let shown: Vec<String> = t
        .columns
        .iter()
        .map(|c| c.type_name.as_ref().unwrap().display())
        .collect();
    assert_eq!(
        shown,
        vec![
            "timestamp(3) without time zone",
            "character varying(36)",
            "timestamp with time zone",
            "numeric(12,2)[]",
            "interval"
        ]
    );
}

#[test]
fn every_statement_gets_its_own_span_even_inside_one_lexer_piece() {
    // As if the lexer had disagreed with the grammar and handed over one piece holding three
    // statements: each must still be reported, and run, on its own.
    let text = "ALTER TABLE t ADD c int; COMMIT; DROP TABLE t";
    let lexed = lexer::Lexed {
        pieces: vec![Span::new(0, text.len())],
        ..lexer::Lexed::default()
    };
    let (statements, errors) = parse_pieces(text, text, &lexed.comments, &lexed.pieces);
    assert!(errors.is_empty());
    let spans: Vec<&str> = statements.iter().map(|s| &text[s.span.range()]).collect();
    assert_eq!(spans, ["ALTER TABLE t ADD c int", "COMMIT", "DROP TABLE t"]);
    let parsed = parse_text("SELECT 'a;b'; COMMIT; DROP TABLE t");
    let spans: Vec<&str> = parsed
        .statements
        .iter()
        .map(|s| parsed.source.slice(s.span))
        .collect();
    assert_eq!(spans, ["SELECT 'a;b'", "COMMIT", "DROP TABLE t"]);
}

#[test]
fn an_unterminated_block_comment_is_a_syntax_error() {
    let parsed = parse_text("CREATE TABLE a (id int);\n/* DROP TABLE a;\n");
    assert_eq!(parsed.statements.len(), 1);
    assert_eq!(parsed.errors.len(), 1);
    assert_eq!(parsed.errors[0].span, Span::new(25, 27));
    assert!(parsed.errors[0].message.contains("unterminated /*"));
    let closed = parse_text("CREATE TABLE a (id int);\n/* /* nested */ still */\n");
    assert!(closed.errors.is_empty());
}

#[test]
fn a_byte_order_mark_is_skipped() {
    let parsed = parse_text("\u{feff}CREATE TABLE a (id int);\nCREATE TABLE b (id int);");
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    assert_eq!(parsed.statements.len(), 2);
    assert_eq!(
        parsed.source.slice(parsed.statements[0].span),
        "CREATE TABLE a (id int)"
    );
}

#[test]
fn a_carriage_return_ends_a_line_comment_as_it_does_for_the_server() {
    // Found by the split fuzz target: PostgreSQL reads `DROP TABLE a;` here as a statement.
    let parsed = parse_text("-- note\rDROP TABLE a;\r\nCREATE TABLE b (id int);\r\n");
    let spans: Vec<&str> = parsed
        .statements
        .iter()
        .map(|s| parsed.source.slice(s.span))
        .collect();
    assert_eq!(spans, ["DROP TABLE a", "CREATE TABLE b (id int)"]);
}

#[test]
fn text_after_copy_from_stdin_on_its_line_is_skipped_with_the_data_not_dropped() {
    // Found by the split fuzz target: the text was neither parsed nor reported.
    let parsed = parse_text("COPY t FROM stdin; ex'\n1\n\\.\nSELECT 1;");
    assert_eq!(parsed.skipped.len(), 1);
    let Skipped::CopyData(span) = parsed.skipped[0] else {
        panic!("{:?}", parsed.skipped)
    };
    assert_eq!(parsed.source.slice(span), " ex'\n1\n\\.");
    assert_eq!(parsed.statements.len(), 2);
}

#[test]
fn parts_hold_what_the_whole_file_holds_each_in_its_range() {
    let text = "-- a comment\nCREATE TABLE a (id int);\n\\set x 1\nDO $$ BEGIN CREATE INDEX i ON a (id); END $$;\n/* between */ CREATE TABEL b (id int);\nCOPY a FROM stdin;\n1\n\\.\nSELECT 1; -- trailing\nSELECT 2";
    let source = SourceFile::new("t.sql", text);
    let whole = parse(&source);
    let parts: Vec<ParsedFile> = parse_in_parts(&source, 10).collect();
    assert!(parts.len() > 3, "{} parts", parts.len());
    let spans = |files: &[&ParsedFile], pick: fn(&ParsedFile) -> Vec<Span>| -> Vec<Span> {
        files.iter().flat_map(|f| pick(f)).collect()
    };
    let every: Vec<&ParsedFile> = parts.iter().collect();
    let pickers: [fn(&ParsedFile) -> Vec<Span>; 5] = [
        |f| f.statements.iter().map(|s| s.span).collect(),
        |f| f.do_statements.iter().map(|s| s.span).collect(),
        |f| f.errors.iter().map(|e| e.span).collect(),
        |f| f.comments.iter().map(|c| c.span).collect(),
        |f| {
            f.skipped
                .iter()
                .map(|(Skipped::MetaCommand(s) | Skipped::CopyData(s))| *s)
                .collect()
        },
    ];
    for pick in pickers {
        assert_eq!(spans(&every, pick), spans(&[&whole], pick));
    }
    assert!(parts.iter().all(|p| p.source.id() == source.id()));
    // Each part's statements and comments lie between the statements of its neighbours.
    for pair in parts.windows(2) {
        let last_before = pair[0].statements.last().map_or(0, |s| s.span.end);
        let first_after = pair[1].comments.iter().map(|c| c.span.start);
        assert!(
            first_after
                .chain(pair[1].statements.iter().map(|s| s.span.start))
                .all(|at| at >= last_before)
        );
    }
}

#[test]
fn a_later_part_that_the_pieces_split_wrongly_is_parsed_whole() {
    // A BEGIN ATOMIC body holds semicolons of its own: its pieces fail, its part does not.
    let tables: String = (0..6)
        .map(|i| format!("CREATE TABLE t{i} (id int);\n"))
        .collect();
    let function =
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END";
    let text = format!("{tables}{function};\nCREATE TABLE b (id int);");
    let source = SourceFile::new("t.sql", text.as_str());
    let parts: Vec<ParsedFile> = parse_in_parts(&source, tables.len() - 1).collect();
    assert_eq!(parts.len(), 2);
    assert!(parts.iter().all(|p| p.errors.is_empty()), "{parts:?}");
    let texts: Vec<&str> = parts[1]
        .statements
        .iter()
        .map(|s| source.slice(s.span))
        .collect();
    assert_eq!(texts, [function, "CREATE TABLE b (id int)"]);
}

#[test]
fn the_full_tree_parses_like_the_pg_query_crate() {
    for sql in ["SELECT 1; DELETE FROM t WHERE id = $1", "", "-- nothing"] {
        let tree = crate::tree::Tree::parse(sql).unwrap();
        let expected = pg_query::parse(sql, 0).unwrap().protobuf;
        assert_eq!(tree.statement_count(), expected.stmts.len(), "{sql}");
        assert_eq!(tree.nodes().len(), expected.nodes().len(), "{sql}");
    }
    for sql in ["SELEC 1", "SELECT 'a\0'"] {
        assert_eq!(
            crate::tree::Tree::parse(sql).err().map(|e| e.to_string()),
            pg_query::parse(sql, 0).err().map(|e| e.to_string()),
            "{sql}"
        );
    }
}
