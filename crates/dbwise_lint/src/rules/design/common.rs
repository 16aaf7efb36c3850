//! What the design rules share: which tables to judge, what a column's type resolves to, how
//! a name splits into words, and what limits or indexes a column.

use std::collections::HashMap;

use dbwise_catalog::{Catalog, Column, Index, ObjectName, Table, TypeKind};
use dbwise_diagnostics::Severity;
use dbwise_syntax::ast::{ConstraintKind, Identifier, TypeSpec, quote_ident, quote_literal};

use crate::context::{CatalogContext, SMALL_TABLE_ROWS};
use crate::rule::Report;

/// Default last words of lookup-table names: small, static tables of codes whose rows are
/// practically never deleted.
pub const LOOKUP_TABLE_WORDS: &str = r#"["type", "types", "kind", "kinds", "status", "statuses", "gender", "genders", "language", "languages", "country", "countries", "currency", "currencies", "format", "formats", "allowed_value", "allowed_values", "enum", "enums", "role", "roles", "permission", "permissions", "category", "categories"]"#;

/// Default of the `small-tables` option: words in the names of tables whose rows are bounded
/// by the number of users, tenants or features (their settings, providers, webhooks, API keys,
/// templates, plans), not by how much the application is used.
pub const SMALL_TABLE_WORDS: &str = r#"["setting", "settings", "config", "configs", "configuration", "configurations", "preference", "preferences", "provider", "providers", "webhook", "webhooks", "template", "templates", "api_key", "api_keys", "apikey", "apikeys", "passkey", "passkeys", "two_factor", "feature_flag", "feature_flags", "override", "overrides", "plan", "plans", "alert", "alerts", "rate_limit", "rate_limits", "integration", "integrations", "invite", "invites", "invitation", "invitations", "family", "families"]"#;

/// Whether the table stays small enough that an index more or less makes no difference: its
/// configured size (`[tables] sizes`) is below [`SMALL_TABLE_ROWS`], or, when the size is not
/// known, its name holds one of `small_words` and does not end with a word for records that
/// grow with use.
pub fn stays_small(ctx: &CatalogContext, table: &Table, small_words: &[String]) -> bool {
    if let Some(rows) = ctx.settings.rows_of(&table.name.schema, &table.name.name) {
        return rows < SMALL_TABLE_ROWS;
    }
    has_word(&table.name.name, small_words) && !crate::size::records_use(&table.name.name)
}

/// Whether the table's name ends with a lookup-table word (`mood_alias_type`, `countries`).
pub fn is_lookup_table(table: &Table, lookup_words: &[String]) -> bool {
    ends_with_word(&table.name.name, lookup_words)
}

/// `command` (holding `%s` where the sequence's name goes, as in `ALTER SEQUENCE %s AS bigint`)
/// on the sequence that `table.column` owns. A sequence keeps its first name when its table or
/// column is renamed, so the name comes from the replayed history; when the history does not
/// show it, the statement asks the server for it.
pub fn on_owned_sequence(
    catalog: &Catalog,
    table: &ObjectName,
    column: &str,
    command: &str,
) -> String {
    let owned = catalog.sequences.values().find(|s| {
        s.owned_by
            .as_ref()
            .is_some_and(|(owner, c)| owner == table && c == column)
    });
    match owned {
        Some(sequence) => format!("{};", command.replace("%s", &sequence.name.to_string())),
        None => format!(
            "DO $$ BEGIN EXECUTE format({}, pg_get_serial_sequence({}, {})); END $$;",
            quote_literal(command),
            quote_literal(&table.to_string()),
            quote_literal(column)
        ),
    }
}

/// Every index grouped by its table, built once per rule: `Catalog::indexes_on` scans all
/// indexes, which adds up when a rule asks for every table of a large schema.
pub fn indexes_by_table(catalog: &Catalog) -> HashMap<&ObjectName, Vec<&Index>> {
    let mut out: HashMap<&ObjectName, Vec<&Index>> = HashMap::new();
    for index in catalog.indexes.values() {
        out.entry(&index.table).or_default().push(index);
    }
    out
}

/// The tables the design rules judge: those the replay created itself and models fully.
/// External tables (only partly known), tables a `DO` block changed in ways the replay does not
/// follow, and temporary tables are left alone.
pub fn judged_tables(catalog: &Catalog) -> impl Iterator<Item = &Table> {
    catalog
        .tables
        .values()
        .map(|t| &**t)
        .filter(|t| !t.external && !t.temporary && !t.changed_by_code)
}

/// Whether the table is an audit mirror (`orders_history`, or `order_history` beside `orders`)
/// of a table that has the column too: a finding on the copy repeats the source table's and is
/// fixed with it.
pub fn mirrored_column(catalog: &Catalog, table: &Table, column: &str) -> bool {
    ["_history", "_audit", "_versions"].iter().any(|suffix| {
        table.name.name.strip_suffix(suffix).is_some_and(|stem| {
            let plural = match stem.strip_suffix('y') {
                Some(base) => format!("{base}ies"),
                None => format!("{stem}s"),
            };
            [stem.to_owned(), plural, format!("{stem}es")]
                .into_iter()
                .any(|source| {
                    catalog
                        .tables
                        .get(&ObjectName {
                            schema: table.name.schema.clone(),
                            name: source.into(),
                        })
                        .is_some_and(|s| s.column(column).is_some())
                })
        })
    })
}

/// The table's parents: the partitioned table it belongs to and the tables it inherits from.
pub fn parents<'a>(catalog: &'a Catalog, table: &'a Table) -> impl Iterator<Item = &'a Table> {
    table
        .partition_of
        .iter()
        .chain(&table.inherits)
        .filter_map(|p| catalog.tables.get(p).map(|t| &**t))
}

/// Columns the table defines itself, not those a partition or child takes from its parent
/// (the parent is where they are reported).
pub fn own_columns<'a>(catalog: &'a Catalog, table: &'a Table) -> impl Iterator<Item = &'a Column> {
    table
        .columns
        .iter()
        .filter(move |c| !parents(catalog, table).any(|p| p.column(&c.name).is_some()))
}

/// At least this many columns a rule would report, in a schema where few columns take the
/// alternative the rule recommends (at most three in ten of the columns of that kind), are
/// the project's convention rather than a slip.
pub const CONVENTION: usize = 4;

/// How many findings of one kind, the same gap repeated across tables (a generator's duplicate
/// indexes, a run of references with no key), make a pattern of the schema: one finding that
/// lists them, since one decision answers them all.
pub const PATTERN: usize = 5;

/// How the message of a convention note ends.
pub const CONVENTION_NOTE: &str = ": a convention of this schema";

/// The columns of the judged tables that `candidate` accepts, in replay order, and whether
/// they are a schema-wide convention: many of them, and at least seven in ten of the columns
/// either accepts (a Prisma schema's `timestamp(3)` everywhere, ids kept as text for several
/// engines). A schema dump (Rails' structure.sql) lists its tables by name, not by age, so
/// there no column came before another.
pub fn candidates<'a>(
    catalog: &'a Catalog,
    candidate: impl Fn(&'a Table, &'a Column) -> bool,
    alternative: impl Fn(&'a Table, &'a Column) -> bool,
) -> Candidates<'a> {
    let mut columns = Vec::new();
    let mut alternatives = 0;
    let mut first_alternative: Option<usize> = None;
    for table in judged_tables(catalog) {
        for column in own_columns(catalog, table) {
            if candidate(table, column) {
                columns.push((table, column));
            } else if alternative(table, column) {
                alternatives += 1;
                first_alternative =
                    Some(first_alternative.map_or(column.origin.statement(), |f| {
                        f.min(column.origin.statement())
                    }));
            }
        }
    }
    columns.sort_by_key(|(_, column)| column.origin.statement());
    // Without a history, no column came before another.
    let first_alternative = first_alternative.filter(|_| !dumped(catalog));
    // A schema that took the alternative up and kept to it has adopted it: the candidates
    // after its first use are slips from the new practice, not a convention.
    let kept_on = first_alternative.map_or(columns.len(), |first| {
        columns
            .iter()
            .filter(|(_, c)| c.origin.statement() > first)
            .count()
    });
    // At least seven in ten of the columns take the candidate's way.
    let convention = columns.len() >= CONVENTION
        && alternatives * 7 <= columns.len() * 3
        && kept_on > alternatives;
    Candidates {
        columns,
        convention,
        alternatives,
        first_alternative,
    }
}

/// Whether the schema reads like a dump: every table from one file, in name order (pg_dump
/// and Rails' structure.sql list them so), where the order says nothing of the tables' ages.
fn dumped(catalog: &Catalog) -> bool {
    let mut tables: Vec<&Table> = judged_tables(catalog).collect();
    let Some(first) = tables.first() else {
        return false;
    };
    if tables
        .iter()
        .any(|t| t.origin.file.path() != first.origin.file.path())
    {
        return false;
    }
    tables.sort_by_key(|t| t.origin.statement());
    let in_order = tables.windows(2).filter(|w| w[0].name <= w[1].name).count();
    // A few tables out of order: a dump puts some after what they depend on.
    in_order * 10 >= tables.len().saturating_sub(1) * 9
}

/// What [`candidates`] found.
pub struct Candidates<'a> {
    pub columns: Vec<(&'a Table, &'a Column)>,
    pub convention: bool,
    /// How many columns take the alternative.
    pub alternatives: usize,
    /// The replay position of the first column that takes the alternative.
    pub first_alternative: Option<usize>,
}

impl<'a> Candidates<'a> {
    /// The candidates written after the schema first took the alternative (all of them when it
    /// never did): the ones before are its history, the later ones slips from its newer practice.
    pub fn after_adoption(&self) -> impl Iterator<Item = (&'a Table, &'a Column)> + '_ {
        self.columns.iter().copied().filter(|(_, column)| {
            self.first_alternative
                .is_none_or(|first| column.origin.statement() > first)
        })
    }
}

/// One note standing for every column of a convention, at the first of them. `alternative`
/// names what the other columns take and how many take it.
pub fn report_convention(
    report: &mut Report,
    columns: &[(&Table, &Column)],
    what: &str,
    alternative: Option<(&str, usize)>,
    why: &str,
    help: &str,
) {
    let Some((table, first)) = columns.first() else {
        return;
    };
    let mut finding = report
        .finding(
            &first.origin.file,
            first.name_span,
            format!(
                "{} columns, from {}.{} on, are {what}{}{CONVENTION_NOTE}",
                columns.len(),
                table.name,
                quote_ident(&first.name),
                match alternative {
                    None => String::new(),
                    Some((other, 0)) => format!(", and none is {other}"),
                    Some((other, 1)) => format!(", against one that is {other}"),
                    Some((other, n)) => format!(", against {n} that are {other}"),
                }
            ),
        )
        .why(why)
        .help(help)
        .convention();
    // A deliberate convention is worth knowing about, not a defect to fix column by column.
    finding.severity = Severity::Info;
    report.push(finding);
}

/// A column type after following domains to their base type.
#[derive(Debug, Clone)]
pub struct Resolved<'a> {
    /// The built-in type's internal name (`int4`, `varchar`, `float8`, ...).
    pub name: &'a str,
    pub modifiers: &'a [i64],
    pub array: bool,
    /// The column's values are limited by a domain CHECK or an enum type.
    pub limited: bool,
    /// The type was written through a domain.
    pub domain: bool,
}

/// Built-in types the rules reason about by name. Anything else that is not a known domain or
/// enum (an extension's type, a composite we did not model) resolves to nothing.
const BUILTIN: &[&str] = &[
    "int2",
    "int4",
    "int8",
    "smallserial",
    "serial",
    "bigserial",
    "serial2",
    "serial4",
    "serial8",
    "float4",
    "float8",
    "numeric",
    "money",
    "text",
    "varchar",
    "bpchar",
    "char",
    "name",
    "bool",
    "uuid",
    "json",
    "jsonb",
    "bytea",
    "date",
    "time",
    "timetz",
    "timestamp",
    "timestamptz",
    "interval",
    "inet",
    "cidr",
    "macaddr",
    "xml",
    "tsvector",
    "oid",
    "bit",
    "varbit",
];

/// Follow domains down to a built-in type. None when the type is unknown to the catalog (an
/// extension's type, `LIKE`) or is an enum (then `enum_type` says so).
pub fn resolve<'a>(catalog: &'a Catalog, type_name: &'a TypeSpec) -> Option<Resolved<'a>> {
    let mut current = type_name;
    let mut limited = false;
    let mut domain = false;
    let mut array = type_name.array;
    for _ in 0..16 {
        match catalog.user_type(current) {
            Some(def) => match &def.kind {
                TypeKind::Domain { base, has_check } => {
                    limited |= *has_check;
                    domain = true;
                    current = base.as_deref()?;
                    array |= current.array;
                }
                TypeKind::Enum { .. } | TypeKind::Other => return None,
            },
            None if current.schema.is_none() && BUILTIN.contains(&current.name.as_str()) => {
                return Some(Resolved {
                    name: &current.name,
                    modifiers: &current.modifiers,
                    array,
                    limited,
                    domain,
                });
            }
            None => return None,
        }
    }
    None
}

/// Whether the column's type is an enum (directly or through domains).
pub fn is_enum(catalog: &Catalog, type_name: &TypeSpec) -> bool {
    let mut current = type_name;
    for _ in 0..16 {
        match catalog.user_type(current).map(|d| &d.kind) {
            Some(TypeKind::Enum { .. }) => return true,
            Some(TypeKind::Domain {
                base: Some(base), ..
            }) => current = &**base,
            _ => return false,
        }
    }
    false
}

/// The column's resolved type, when the catalog knows it.
pub fn column_type<'a>(catalog: &'a Catalog, column: &'a Column) -> Option<Resolved<'a>> {
    column.type_name.as_ref().and_then(|t| resolve(catalog, t))
}

pub fn is_text_like(name: &str) -> bool {
    matches!(name, "text" | "varchar" | "bpchar")
}

/// Split an identifier into lower-case words at `_` and at camelCase boundaries:
/// `customer_id` and `customerId` both give `customer`, `id`.
pub fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in name.split(['_', '-', ' ']) {
        let chars: Vec<char> = part.chars().collect();
        let mut current = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let boundary = c.is_uppercase()
                && i > 0
                && (chars[i - 1].is_lowercase()
                    || chars[i - 1].is_ascii_digit()
                    || chars.get(i + 1).is_some_and(|n| n.is_lowercase()));
            if boundary && !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            current.extend(c.to_lowercase());
        }
        if !current.is_empty() {
            out.push(current);
        }
    }
    out
}

/// Singular word lists a table name can stand for: `order_items` gives `order_item`.
pub fn singular_forms(name: &str) -> Vec<Vec<String>> {
    let mut w = words(name);
    let mut out = vec![w.clone()];
    if let Some(last) = w.last_mut() {
        let forms = [
            last.strip_suffix("ies").map(|s| format!("{s}y")),
            last.strip_suffix("ses").map(|s| format!("{s}s")),
            last.strip_suffix("xes").map(|s| format!("{s}x")),
            last.strip_suffix("ches").map(|s| format!("{s}ch")),
            last.strip_suffix("shes").map(|s| format!("{s}sh")),
            last.strip_suffix('s')
                .filter(|s| !s.ends_with(['s', 'u', 'i']))
                .map(str::to_owned),
        ];
        for form in forms.into_iter().flatten() {
            let mut copy = w.clone();
            if let Some(l) = copy.last_mut() {
                *l = form;
            }
            out.push(copy);
        }
    }
    out
}

/// Whether one of `list` (each one or more words, `unit_price` or `price`) occurs in the name
/// as whole words.
pub fn has_word(name: &str, list: &[String]) -> bool {
    let name = words(name);
    list.iter().any(|w| {
        if one_word(w) {
            return name.iter().any(|n| n == w);
        }
        let w = words(w);
        !w.is_empty() && name.windows(w.len()).any(|win| win == w.as_slice())
    })
}

/// Whether a list entry is one lowercase word, which is its own split (most entries are).
fn one_word(entry: &str) -> bool {
    !entry.is_empty()
        && entry
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// Whether the name ends with one of `list` as whole words (`shipping_status` ends with `status`).
pub fn ends_with_word(name: &str, list: &[String]) -> bool {
    let name = words(name);
    list.iter().any(|w| {
        if one_word(w) {
            return name.last().is_some_and(|last| last == w);
        }
        let w = words(w);
        !w.is_empty() && name.ends_with(&w)
    })
}

/// Whether the SQL text mentions the column as a whole identifier.
pub fn mentions(text: &str, column: &str) -> bool {
    let folded = column.chars().all(|c| !c.is_uppercase());
    let (hay, needle) = if folded {
        (text.to_lowercase(), column.to_owned())
    } else {
        (text.to_owned(), column.to_owned())
    };
    let bytes = hay.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
    let mut from = 0;
    while let Some(i) = hay[from..].find(&needle) {
        let start = from + i;
        let end = start + needle.len();
        let before = start.checked_sub(1).map(|p| bytes[p]);
        let after = bytes.get(end).copied();
        if !before.is_some_and(ident) && !after.is_some_and(ident) {
            return true;
        }
        from = end;
    }
    false
}

/// A CHECK constraint of the table names the column.
pub fn checked(table: &Table, column: &str) -> bool {
    table.constraints.iter().any(|c| match &c.kind {
        ConstraintKind::Check { expr } => mentions(&expr.text, column),
        _ => false,
    })
}

/// The column is one of the referencing columns of a foreign key.
pub fn in_foreign_key(table: &Table, column: &str) -> bool {
    table
        .foreign_keys()
        .any(|(_, fk)| fk.columns.iter().any(|c| c == column))
}

/// The columns of the table's primary key (none without one).
pub fn primary_key_columns(table: &Table) -> &[Identifier] {
    match table.primary_key().map(|pk| &pk.kind) {
        Some(ConstraintKind::PrimaryKey { columns, .. }) => columns,
        _ => &[],
    }
}

/// The column's values are limited: a CHECK names it, it references another table, or its
/// type is an enum or a domain with a CHECK.
pub fn values_limited(catalog: &Catalog, table: &Table, column: &Column) -> bool {
    checked(table, &column.name)
        || in_foreign_key(table, &column.name)
        || parents(catalog, table).any(|p| checked(p, &column.name))
        || column
            .type_name
            .as_ref()
            .is_some_and(|t| is_enum(catalog, t) || resolve(catalog, t).is_none_or(|r| r.limited))
}

/// Whether the index names the column, as a key column or inside an expression.
pub fn index_uses(index: &Index, column: &str) -> bool {
    index.elems.iter().any(|e| {
        e.column.as_deref() == Some(column)
            || e.expr.as_ref().is_some_and(|x| mentions(&x.text, column))
    })
}

/// The table (or a parent it is a partition of) has a unique index or constraint that uses
/// the column, alone or scoped by other columns.
pub fn unique_uses(catalog: &Catalog, table: &Table, column: &str) -> bool {
    let mut owners = vec![&table.name];
    owners.extend(table.partition_of.iter());
    owners.iter().any(|owner| {
        catalog
            .indexes_on(owner)
            .any(|i| i.unique && index_uses(i, column))
    })
}

/// `a, b` with each name quoted as PostgreSQL needs it.
pub fn column_list<S: AsRef<str>>(columns: &[S]) -> String {
    columns
        .iter()
        .map(|c| quote_ident(c.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_snake_and_camel_case() {
        assert_eq!(words("customer_id"), ["customer", "id"]);
        assert_eq!(words("customerId"), ["customer", "id"]);
        assert_eq!(words("HTMLBody"), ["html", "body"]);
        assert_eq!(words("unit_price2"), ["unit", "price2"]);
    }

    #[test]
    fn matches_whole_words_only() {
        let list = vec!["price".to_owned(), "user_name".to_owned()];
        assert!(has_word("unit_price", &list));
        assert!(has_word("priceCents", &list));
        assert!(has_word("display_user_name", &list));
        assert!(!has_word("priceless", &list));
        assert!(!has_word("username", &list));
        assert!(ends_with_word("order_status", &["status".to_owned()]));
        assert!(!ends_with_word("status_note", &["status".to_owned()]));
    }

    #[test]
    fn singularises_table_names() {
        let forms = singular_forms("order_categories");
        assert!(forms.contains(&vec!["order".to_owned(), "category".to_owned()]));
        assert!(singular_forms("addresses").contains(&vec!["address".to_owned()]));
        assert!(singular_forms("Users").contains(&vec!["user".to_owned()]));
        assert!(!singular_forms("status").contains(&vec!["statu".to_owned()]));
    }

    #[test]
    fn finds_columns_in_sql_text() {
        assert!(mentions("status IN ('a', 'b')", "status"));
        assert!(mentions("(\"teamId\" > 0)", "teamId"));
        assert!(!mentions("order_status <> ''", "status"));
        assert!(mentions("STATUS <> ''", "status"));
    }
}
