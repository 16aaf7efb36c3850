use crate::Query;
use crate::facts::{
    Access, Block, Clause, Column, ColumnUse, ExpressionUse, Facts, FromItem, Kind, Operand, Role,
    Value,
};

/// The facts of a query that lives to the end of the test run.
fn facts(sql: &str) -> Facts<'static> {
    let query = Box::leak(Box::new(Query::parse(sql).expect("parses")));
    let mut all = query.facts();
    assert_eq!(all.len(), 1, "{sql}");
    all.remove(0)
}

fn column(table: Option<&str>, qualifier: Option<&str>, name: &str) -> Column {
    Column {
        qualifier: qualifier.map(str::to_owned),
        name: name.to_owned(),
        table: table.map(str::to_owned),
    }
}

/// The uses of one column name in a block.
fn uses<'a>(block: &'a Block, name: &str) -> Vec<&'a ColumnUse> {
    block
        .columns
        .iter()
        .filter(|u| u.column.name == name)
        .collect()
}

fn only_use<'a>(block: &'a Block, name: &str) -> &'a ColumnUse {
    let found = uses(block, name);
    assert_eq!(found.len(), 1, "{name}: {found:#?}");
    found[0]
}

#[test]
fn a_join_resolves_aliases_and_gives_its_key_pair() {
    let f = facts(
        "SELECT o.id, c.name FROM shop.orders o JOIN customers AS c ON c.id = o.customer_id \
         WHERE o.status = 'paid'",
    );
    assert_eq!(f.kind, Kind::Select);
    assert_eq!(
        f.tables_read().collect::<Vec<_>>(),
        ["customers", "shop.orders"]
    );
    assert_eq!(f.tables_written().count(), 0);
    let block = &f.block();
    assert_eq!(
        block.joins[0].left,
        column(Some("customers"), Some("c"), "id")
    );
    assert_eq!(
        block.joins[0].right,
        column(Some("shop.orders"), Some("o"), "customer_id")
    );
    let status = only_use(block, "status");
    assert_eq!(status.role, Role::Equality);
    assert_eq!(status.clause, Clause::Where);
    assert_eq!(status.column.table.as_deref(), Some("shop.orders"));
    assert_eq!(status.values, [Value::String("paid".into())]);
    assert!(status.conjunctive);
    let name = only_use(block, "name");
    assert_eq!((name.role, name.clause), (Role::Output, Clause::Select));
    assert!(matches!(&block.from[..], [FromItem::Join(..)]));
}

#[test]
fn join_using_pairs_the_named_column_of_both_sides() {
    let f = facts("SELECT * FROM orders JOIN order_lines l USING (order_id)");
    assert!(f.block().star);
    assert_eq!(f.block().joins.len(), 1);
    assert_eq!(
        f.block().joins[0].left,
        column(Some("orders"), Some("orders"), "order_id")
    );
    assert_eq!(
        f.block().joins[0].right,
        column(Some("order_lines"), Some("l"), "order_id")
    );
}

#[test]
fn in_lists_between_and_like_have_their_roles_and_constants() {
    let f = facts(
        "SELECT id FROM products WHERE category_id IN (1, 2, $1) \
         AND price BETWEEN 10 AND 20.5 AND name LIKE 'red%' AND deleted_at IS NULL \
         AND (stock > 0 OR backorder = true)",
    );
    let b = &f.block();
    let category = only_use(b, "category_id");
    assert_eq!(category.role, Role::Membership);
    assert_eq!(category.operator.as_deref(), Some("="));
    assert_eq!(
        category.values,
        [Value::Integer(1), Value::Integer(2), Value::Parameter(1)]
    );
    let price = only_use(b, "price");
    assert_eq!(price.role, Role::Range);
    assert_eq!(
        price.values,
        [Value::Integer(10), Value::Number("20.5".into())]
    );
    let name = only_use(b, "name");
    assert_eq!(name.role, Role::Pattern);
    assert_eq!(name.values, [Value::String("red%".into())]);
    assert_eq!(only_use(b, "deleted_at").role, Role::NullTest);
    assert!(only_use(b, "deleted_at").conjunctive);
    let stock = only_use(b, "stock");
    assert_eq!((stock.role, stock.conjunctive), (Role::Range, false));
    assert_eq!(only_use(b, "backorder").values, [Value::Boolean(true)]);
    // Every column belongs to the only relation.
    assert!(
        b.columns
            .iter()
            .all(|u| u.column.table.as_deref() == Some("products"))
    );
}

#[test]
fn order_by_with_limit_and_offset() {
    let f = facts(
        "SELECT id FROM events WHERE account_id = $1 ORDER BY created_at DESC, id LIMIT 20 OFFSET $2",
    );
    let b = &f.block();
    assert_eq!(b.order_by.len(), 2);
    assert!(b.order_by[0].descending);
    assert_eq!(
        b.order_by[0].operand,
        Operand::Column(column(Some("events"), None, "created_at"))
    );
    assert!(!b.order_by[1].descending);
    assert_eq!(b.limit, Some(Operand::Value(Value::Integer(20))));
    assert_eq!(b.offset, Some(Operand::Value(Value::Parameter(2))));
    assert_eq!(only_use(b, "created_at").role, Role::Sort);
}

#[test]
fn group_by_and_aggregate_calls() {
    let f = facts("SELECT sku, sum(qty) FROM order_lines GROUP BY sku HAVING sum(qty) > 10");
    let b = &f.block();
    assert_eq!(
        b.group_by,
        [Operand::Column(column(Some("order_lines"), None, "sku"))]
    );
    assert!(uses(b, "sku").iter().any(|u| u.role == Role::Group));
    assert!(uses(b, "qty").iter().any(|u| u.clause == Clause::Having));
    assert_eq!(f.calls().len(), 2);
    assert_eq!(f.calls()[0].base_name().as_deref(), Some("sum"));
}

#[test]
fn subqueries_are_blocks_that_see_the_outer_names() {
    let f = facts(
        "SELECT c.id FROM customers c WHERE c.id NOT IN (SELECT customer_id FROM orders) \
         AND EXISTS (SELECT 1 FROM payments p WHERE p.customer_id = c.id)",
    );
    assert_eq!(
        f.tables_read().collect::<Vec<_>>(),
        ["customers", "orders", "payments"]
    );
    let b = &f.block();
    assert_eq!(b.subqueries.len(), 2);
    let membership = uses(b, "id")
        .into_iter()
        .find(|u| u.clause == Clause::Where)
        .unwrap();
    assert_eq!(membership.role, Role::Membership);
    assert!(!membership.conjunctive, "under NOT");
    let correlated = &b.subqueries[1];
    assert_eq!(
        correlated.joins[0].right,
        column(Some("customers"), Some("c"), "id")
    );
    assert_eq!(
        correlated.joins[0].left,
        column(Some("payments"), Some("p"), "customer_id")
    );
}

#[test]
fn a_subquery_in_from_hides_its_tables_behind_its_alias() {
    let f = facts(
        "SELECT t.total FROM (SELECT customer_id, sum(total) AS total FROM orders GROUP BY 1) t \
         WHERE t.total > 100",
    );
    let b = &f.block();
    assert!(matches!(
        &b.from[..],
        [FromItem::Subquery { alias: Some(a), lateral: false }] if a == "t"
    ));
    assert!(uses(b, "total").iter().all(|u| u.column.table.is_none()));
    assert_eq!(
        b.subqueries[0].group_by,
        [Operand::Value(Value::Integer(1))]
    );
}

#[test]
fn ctes_are_blocks_and_their_names_are_not_tables() {
    let f = facts(
        "WITH RECURSIVE tree AS (SELECT id, parent_id FROM categories WHERE parent_id IS NULL \
         UNION ALL SELECT c.id, c.parent_id FROM categories c JOIN tree t ON c.parent_id = t.id) \
         SELECT * FROM tree",
    );
    assert_eq!(f.tables_read().collect::<Vec<_>>(), ["categories"]);
    assert!(f.relations.iter().any(|r| r.name == "tree" && r.cte));
    assert_eq!(f.with_clauses().len(), 1);
    assert!(f.with_clauses()[0].recursive);
    assert_eq!(f.with_clauses()[0].ctes[0].0, "tree");
    let block = f.block();
    let (name, cte) = &block.ctes[0];
    assert_eq!(name, "tree");
    assert_eq!(cte.subqueries.len(), 2, "the arms of the UNION");
    let join = &cte.subqueries[1].joins[0];
    assert_eq!(join.left.table.as_deref(), Some("categories"));
    assert_eq!(join.right.table, None, "a CTE is not a table");
    assert!(matches!(&f.block().from[..], [FromItem::Relation(r)] if r.name == "tree"));
}

#[test]
fn update_and_delete_give_their_target_and_key_predicates() {
    let f =
        facts("UPDATE accounts a SET balance = balance - $1 WHERE a.id = $2 AND a.locked = false");
    assert_eq!(f.kind, Kind::Update);
    assert_eq!(f.tables_written().collect::<Vec<_>>(), ["accounts"]);
    let b = &f.block();
    assert_eq!(b.target.as_ref().map(|t| t.access), Some(Access::Written));
    let keys: Vec<&str> = b.key_predicates().map(|u| u.column.name.as_str()).collect();
    assert_eq!(keys, ["id", "locked"]);
    assert_eq!(
        only_use(b, "id").column,
        column(Some("accounts"), Some("a"), "id")
    );
    assert!(
        uses(b, "balance")
            .iter()
            .any(|u| u.role == Role::Assignment && u.clause == Clause::Set)
    );

    let f =
        facts("DELETE FROM sessions WHERE id IN (SELECT session_id FROM expired) OR user_id = 7");
    assert_eq!(f.kind, Kind::Delete);
    assert_eq!(f.tables_written().collect::<Vec<_>>(), ["sessions"]);
    assert_eq!(f.tables_read().collect::<Vec<_>>(), ["expired"]);
    assert_eq!(f.block().key_predicates().count(), 0, "an OR pins no key");
    assert_eq!(f.block().subqueries.len(), 1);
}

#[test]
fn insert_lists_its_columns_and_reads_its_select() {
    let f =
        facts("INSERT INTO archive (id, body) SELECT id, body FROM posts WHERE created_at < $1");
    assert_eq!(f.kind, Kind::Insert);
    assert_eq!(f.tables_written().collect::<Vec<_>>(), ["archive"]);
    let block = f.block();
    let assigned: Vec<&str> = block
        .columns
        .iter()
        .filter(|u| u.role == Role::Assignment)
        .map(|u| u.column.name.as_str())
        .collect();
    assert_eq!(assigned, ["id", "body"]);
    assert_eq!(
        only_use(&block.subqueries[0], "created_at").role,
        Role::Range
    );
}

#[test]
fn transaction_control_and_operators() {
    assert_eq!(facts("BEGIN").kind, Kind::Begin);
    assert_eq!(facts("COMMIT").kind, Kind::End);
    assert_eq!(facts("SAVEPOINT a").kind, Kind::Other);
    let f = facts("SELECT id FROM docs WHERE body @@ to_tsquery('english', $1)");
    assert_eq!(f.operators(), ["@@"]);
    assert_eq!(
        f.calls()[0].arguments,
        [
            Some(Value::String("english".into())),
            Some(Value::Parameter(1))
        ]
    );
}

#[test]
fn several_statements_give_one_set_of_facts_each() {
    let query = Query::parse("SELECT 1; DELETE FROM t").unwrap();
    let kinds: Vec<Kind> = query.facts().iter().map(|f| f.kind).collect();
    assert_eq!(kinds, [Kind::Select, Kind::Delete]);
}

#[test]
fn a_function_of_one_column_in_a_condition_is_an_expression_use() {
    let f = facts(
        "SELECT id FROM users u WHERE lower(u.email) = lower($1) \
         AND date_trunc('day', created_at) >= '2024-01-01' AND coalesce(a, b) = 1 \
         AND count(*) > 2",
    );
    let block = f.block();
    assert_eq!(
        block.expressions,
        [
            ExpressionUse {
                function: vec!["lower".into()],
                arguments: vec![Operand::Column(column(Some("users"), Some("u"), "email"))],
                role: Role::Equality,
                clause: Clause::Where,
                operator: Some("=".into()),
                values: Vec::new(),
                conjunctive: true,
            },
            ExpressionUse {
                function: vec!["date_trunc".into()],
                arguments: vec![
                    Operand::Value(Value::String("day".into())),
                    Operand::Column(column(Some("users"), None, "created_at")),
                ],
                role: Role::Range,
                clause: Clause::Where,
                operator: Some(">=".into()),
                values: vec![Value::String("2024-01-01".into())],
                conjunctive: true,
            },
        ]
    );
    assert_eq!(
        block.expressions[1].column().map(|c| c.name.as_str()),
        Some("created_at")
    );
    // The column is still among the block's column uses.
    assert_eq!(only_use(&block, "email").role, Role::Other);
}

/// A catalog replayed from `ddl`.
fn schema(ddl: &str) -> dbwise_catalog::Catalog {
    let mut catalog = dbwise_catalog::Catalog::new();
    let file = dbwise_diagnostics::SourceFile::new("schema.sql", ddl);
    assert!(catalog.replay_file(&file, None).is_empty());
    catalog
}

const SHOP: &str = "CREATE TABLE customers (id int PRIMARY KEY, name text, region text);
CREATE TABLE orders (id int PRIMARY KEY, customer_id int, status text, total numeric);
CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 1000;";

#[test]
fn the_schema_places_the_unqualified_columns_of_a_join() {
    let sql = "SELECT total, name FROM orders o JOIN customers c ON c.id = o.customer_id \
               WHERE status = 'paid' AND region = $1";
    let f = facts(sql);
    // Without a schema, a block of two relations leaves them unplaced.
    assert_eq!(only_use(&f.block(), "status").column.table, None);
    let block = f.block_in(&schema(SHOP));
    for (name, table) in [
        ("total", "orders"),
        ("status", "orders"),
        ("name", "customers"),
        ("region", "customers"),
    ] {
        assert_eq!(
            only_use(&block, name).column.table.as_deref(),
            Some(table),
            "{name}"
        );
    }
    let status = only_use(&block, "status");
    assert_eq!(status.role, Role::Equality);
    assert_eq!(status.values, [Value::String("paid".into())]);
}

#[test]
fn a_column_no_relation_of_the_block_has_comes_from_the_block_around_it() {
    // `region` is not a column of orders: it is the outer customers' (a correlated subquery).
    // `id` is a column of orders, the nearest relation that has one.
    let sql = "SELECT name FROM customers WHERE EXISTS \
               (SELECT 1 FROM orders WHERE customer_id = id AND region = 'eu')";
    let block = facts(sql).block_in(&schema(SHOP));
    let inner = &block.subqueries[0];
    assert_eq!(
        only_use(inner, "region").column.table.as_deref(),
        Some("customers")
    );
    assert_eq!(
        only_use(inner, "id").column.table.as_deref(),
        Some("orders")
    );
    // Without the schema, the single relation of the subquery takes both.
    let inner = &facts(sql).block().subqueries[0];
    assert_eq!(
        only_use(inner, "region").column.table.as_deref(),
        Some("orders")
    );
}

#[test]
fn a_relation_whose_columns_the_schema_does_not_hold_keeps_a_column_unplaced() {
    let catalog = schema(SHOP);
    // A view, a table the schema never saw and a subquery may each hold `note`.
    for sql in [
        "SELECT note FROM orders o JOIN big_orders b ON b.id = o.id",
        "SELECT note FROM orders o JOIN archive a ON a.id = o.id",
        "SELECT note FROM orders o JOIN (SELECT 1 AS id) s ON s.id = o.id",
        "SELECT note FROM orders o, generate_series(1, 3) g",
    ] {
        let block = facts(sql).block_in(&catalog);
        assert_eq!(only_use(&block, "note").column.table, None, "{sql}");
    }
    // A column of one known relation is still placed beside an unknown one.
    let block =
        facts("SELECT status FROM orders o JOIN archive a ON a.id = o.id").block_in(&catalog);
    assert_eq!(
        only_use(&block, "status").column.table.as_deref(),
        Some("orders")
    );
    // A table the schema does not know, alone in its block, owns its columns as without one.
    let block = facts("SELECT note FROM archive WHERE kind = 1").block_in(&catalog);
    assert_eq!(
        only_use(&block, "kind").column.table.as_deref(),
        Some("archive")
    );
}
