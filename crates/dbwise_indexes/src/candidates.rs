//! Candidate indexes from the way queries use a table: equality columns first (the most
//! selective first), then one range or the sort order; pairs of the columns a query filters,
//! joins or sorts by; covering indexes that add the other columns the query reads as INCLUDE
//! columns; partial indexes for a rare constant of a skewed column; and indexes on IMMUTABLE
//! functions of one column.

use std::collections::HashSet;

use dbwise_query::facts::{Operand, Value};

use crate::schema::{Table, quote};
use crate::size::{self, SizedColumn};
use crate::uses::{Expression, TableId, TableUse};

/// Key columns of a generated candidate, at most.
const MAX_KEYS: usize = 3;
/// Columns an index may hold in all (key and INCLUDE) to be a covering candidate.
const MAX_COVERING: usize = 6;
/// A constant kept by at most this fraction of rows can make a partial index.
const RARE_VALUE: f64 = 0.2;

/// One key of an index.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    Column(String),
    /// A function of one column, as SQL.
    Expression {
        sql: String,
        column: String,
    },
}

impl Key {
    pub fn sql(&self) -> String {
        match self {
            Key::Column(name) => quote(name),
            Key::Expression { sql, .. } => sql.clone(),
        }
    }

    pub fn column(&self) -> &str {
        match self {
            Key::Column(name) | Key::Expression { column: name, .. } => name,
        }
    }
}

/// The predicate of a partial index: `column = constant`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Predicate {
    pub column: String,
    /// The constant as `pg_stats` prints it.
    pub value: String,
    pub sql: String,
}

/// The index names in use in each schema, so that every recommended index gets a free one:
/// two recommendations on the same columns with different INCLUDE lists, or a recommendation
/// named like an index the table has, would otherwise make the second CREATE INDEX fail.
pub struct Names {
    taken: HashSet<(String, String)>,
}

impl Names {
    /// The names of the tables' existing indexes.
    pub fn new(tables: &[Table]) -> Names {
        let taken = tables
            .iter()
            .flat_map(|t| &t.indexes)
            .map(|i| (i.schema.clone(), i.name.clone()))
            .collect();
        Names { taken }
    }

    /// The candidate's name, with a number after `_idx` when the plain one is taken, as
    /// PostgreSQL numbers the names it picks itself; from then on the name is taken.
    pub fn free(&mut self, candidate: &Candidate, table: &Table) -> String {
        let mut n = 0;
        loop {
            let suffix = if n == 0 {
                "_idx".to_owned()
            } else {
                format!("_idx{n}")
            };
            let name = candidate.name(table, &suffix);
            if self.taken.insert((table.schema.clone(), name.clone())) {
                return name;
            }
            n += 1;
        }
    }
}

/// A btree index that could be created.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Candidate {
    pub table: TableId,
    pub keys: Vec<Key>,
    pub include: Vec<String>,
    pub predicate: Option<Predicate>,
}

impl Candidate {
    /// The `CREATE INDEX` statement HypoPG is given.
    pub fn definition(&self, table: &Table) -> String {
        self.statement(table, "CREATE INDEX ON")
    }

    /// The `CREATE INDEX CONCURRENTLY` statement a migration runs, naming the index `name`.
    pub fn create(&self, table: &Table, name: &str) -> String {
        self.statement(
            table,
            &format!("CREATE INDEX CONCURRENTLY {} ON", quote(name)),
        )
    }

    fn statement(&self, table: &Table, head: &str) -> String {
        let keys: Vec<String> = self.keys.iter().map(Key::sql).collect();
        let mut sql = format!(
            "{head} {} USING btree ({})",
            table.qualified(),
            keys.join(", ")
        );
        if !self.include.is_empty() {
            let include: Vec<String> = self.include.iter().map(|c| quote(c)).collect();
            sql.push_str(&format!(" INCLUDE ({})", include.join(", ")));
        }
        if let Some(predicate) = &self.predicate {
            sql.push_str(&format!(" WHERE {}", predicate.sql));
        }
        sql
    }

    /// A name in PostgreSQL's own style: table, columns, then `suffix` (`_idx`, or `_idx1` when
    /// that is taken), within 63 bytes.
    fn name(&self, table: &Table, suffix: &str) -> String {
        let mut parts = vec![table.name.clone()];
        for key in &self.keys {
            parts.push(match key {
                Key::Column(name) => name.clone(),
                Key::Expression { sql, .. } => sql
                    .chars()
                    .map(|c| if c.is_alphanumeric() { c } else { '_' })
                    .collect::<String>()
                    .split('_')
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
                    .join("_"),
            });
        }
        if let Some(predicate) = &self.predicate {
            parts.push(format!("where_{}", predicate.column));
        }
        let mut name = parts.join("_");
        let mut end = name.len().min(63 - suffix.len());
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        name.truncate(end);
        name.push_str(suffix);
        name
    }

    /// Every column it holds: keys, INCLUDE columns and the predicate's column.
    pub fn columns(&self) -> impl Iterator<Item = &str> {
        self.keys
            .iter()
            .map(Key::column)
            .chain(self.include.iter().map(String::as_str))
            .chain(self.predicate.iter().map(|p| p.column.as_str()))
    }

    /// dbwise's estimate of its built size.
    pub fn estimated_bytes(&self, table: &Table) -> u64 {
        let rows = table.tuples * self.selectivity(table);
        let mut sized = Vec::new();
        for (key, names) in [(true, self.keys.iter().map(Key::column).collect::<Vec<_>>())]
            .into_iter()
            .chain([(false, self.include.iter().map(String::as_str).collect())])
        {
            for name in names {
                if let Some(stats) = table.column(name) {
                    sized.push(SizedColumn { stats, key });
                }
            }
        }
        size::btree_bytes(rows, &sized, table.tuples, 90.0)
    }

    /// The fraction of the table's rows it holds.
    pub fn selectivity(&self, table: &Table) -> f64 {
        self.predicate
            .as_ref()
            .and_then(|p| {
                let stats = table.column(&p.column)?;
                Some(
                    stats
                        .frequency(&p.value)
                        .unwrap_or_else(|| stats.rare_frequency(table.tuples)),
                )
            })
            .unwrap_or(1.0)
    }

    /// The same keys with one more key column appended, or one column fewer.
    pub fn is_prefix_of(&self, other: &Candidate) -> bool {
        self.table == other.table
            && self.predicate == other.predicate
            && self.keys.len() < other.keys.len()
            && other.keys.starts_with(&self.keys)
    }
}

/// The candidates one table use suggests. `immutable` tells whether a function of that name
/// taking that many arguments is IMMUTABLE.
pub fn generate(
    table_use: &TableUse,
    table: &Table,
    immutable: &mut dyn FnMut(&[String], usize) -> bool,
    out: &mut Vec<Candidate>,
) {
    let indexable = |name: &String| table.column(name).is_some_and(|c| c.btree);
    let distinct = |name: &String| table.column(name).map_or(0.0, |c| c.distinct(table.tuples));
    let mut equality: Vec<String> = table_use
        .equality
        .iter()
        .filter(|c| indexable(c))
        .cloned()
        .collect();
    equality.sort_by(|a, b| distinct(b).total_cmp(&distinct(a)));
    let joins: Vec<String> = table_use
        .join
        .iter()
        .filter(|c| indexable(c))
        .cloned()
        .collect();
    let range: Vec<String> = table_use
        .range
        .iter()
        .filter(|c| indexable(c))
        .cloned()
        .collect();
    let sort: Vec<String> = table_use
        .sort
        .iter()
        .filter(|c| indexable(c))
        .cloned()
        .collect();
    let group: Vec<String> = table_use
        .group
        .iter()
        .filter(|c| indexable(c))
        .cloned()
        .collect();
    let id = table_use.table;
    let mut add = |keys: Vec<Key>, include: Vec<String>, predicate: Option<Predicate>| {
        let mut seen = Vec::new();
        let keys: Vec<Key> = keys
            .into_iter()
            .filter(|k| {
                let fresh = !seen.contains(k);
                seen.push(k.clone());
                fresh
            })
            .take(MAX_KEYS)
            .collect();
        if keys.is_empty() {
            return;
        }
        let candidate = Candidate {
            table: id,
            keys,
            include,
            predicate,
        };
        if !out.contains(&candidate) {
            out.push(candidate);
        }
    };
    let columns = |names: &[String]| names.iter().cloned().map(Key::Column).collect::<Vec<_>>();

    // One column each.
    for name in equality
        .iter()
        .chain(&joins)
        .chain(&range)
        .chain(sort.first())
        .chain(group.first())
    {
        add(vec![Key::Column(name.clone())], Vec::new(), None);
    }
    // Equality first, then one range column or the sort order.
    let mut leads: Vec<Vec<Key>> = Vec::new();
    if !equality.is_empty() {
        leads.push(columns(&equality));
    }
    for name in &range {
        let mut keys = columns(&equality);
        keys.push(Key::Column(name.clone()));
        leads.push(keys);
    }
    if !sort.is_empty() {
        let mut keys = columns(&equality);
        keys.extend(columns(&sort));
        leads.push(keys);
    }
    if group.len() > 1 {
        leads.push(columns(&group));
    }
    // Pairs of a filtering or join column and any other column the query narrows or orders by.
    let firsts: Vec<&String> = equality.iter().chain(&joins).collect();
    let seconds: Vec<&String> = equality
        .iter()
        .chain(&joins)
        .chain(&range)
        .chain(&sort)
        .collect();
    for first in &firsts {
        for second in &seconds {
            if first != second {
                leads.push(vec![
                    Key::Column((*first).clone()),
                    Key::Column((*second).clone()),
                ]);
            }
        }
    }
    for keys in &leads {
        add(keys.clone(), Vec::new(), None);
    }
    // Covering: the other columns the query mentions, for an index-only scan.
    if !table_use.star && table_use.mentioned.len() <= MAX_COVERING {
        for keys in &leads {
            let keys: Vec<Key> = keys.iter().take(MAX_KEYS).cloned().collect();
            let include: Vec<String> = table_use
                .mentioned
                .iter()
                .filter(|m| !keys.iter().any(|k| k.column() == m.as_str()))
                .filter(|m| table.column(m).is_some())
                .cloned()
                .collect();
            if !include.is_empty() {
                add(keys, include, None);
            }
        }
    }
    // Partial: a rare constant of a skewed column.
    for (column, value) in &table_use.constants {
        let Some(stats) = table.column(column) else {
            continue;
        };
        let Some(literal) = literal(value) else {
            continue;
        };
        let text = match value {
            Value::String(s) => s.clone(),
            _ => literal.clone(),
        };
        let frequency = stats
            .frequency(&text)
            .unwrap_or_else(|| stats.rare_frequency(table.tuples));
        let most_common = stats.common_freqs.iter().copied().fold(0.0, f64::max);
        if frequency > RARE_VALUE || most_common < 2.0 * frequency {
            continue;
        }
        let predicate = Predicate {
            column: column.clone(),
            value: text,
            sql: format!("{} = {literal}", quote(column)),
        };
        let mut keys: Vec<Key> = columns(&equality)
            .into_iter()
            .filter(|k| k.column() != column)
            .collect();
        keys.extend(columns(if sort.is_empty() { &range } else { &sort }));
        if keys.is_empty() {
            keys.push(Key::Column(column.clone()));
        }
        add(keys, Vec::new(), Some(predicate));
    }
    // Functions of one column.
    for expression in &table_use.expressions {
        if !immutable(&expression.function, expression.arguments.len()) {
            continue;
        }
        let key = Key::Expression {
            sql: expression_sql(expression),
            column: expression.column.clone(),
        };
        add(vec![key.clone()], Vec::new(), None);
        let mut keys = columns(&equality);
        keys.retain(|k| k.column() != expression.column);
        if !keys.is_empty() {
            keys.push(key);
            add(keys, Vec::new(), None);
        }
    }
}

/// A constant as SQL, for a partial index's predicate.
fn literal(value: &Value) -> Option<String> {
    match value {
        Value::Integer(n) => Some(n.to_string()),
        Value::Number(n) => Some(n.clone()),
        Value::String(s) => Some(format!("'{}'", s.replace('\'', "''"))),
        Value::Boolean(b) => Some(b.to_string()),
        Value::Null | Value::Parameter(_) => None,
    }
}

fn expression_sql(expression: &Expression) -> String {
    let function: Vec<String> = expression.function.iter().map(|p| quote(p)).collect();
    let arguments: Vec<String> = expression
        .arguments
        .iter()
        .map(|a| match a {
            Operand::Column(column) => quote(&column.name),
            Operand::Value(value) => literal(value).unwrap_or_else(|| "NULL".to_owned()),
            Operand::Expression => "NULL".to_owned(),
        })
        .collect();
    format!("{}({})", function.join("."), arguments.join(", "))
}

/// An index of the table that already serves `candidate`: a valid btree with the same
/// predicate whose leading keys are the candidate's keys and which holds its INCLUDE columns.
pub fn served_by<'t>(candidate: &Candidate, table: &'t Table) -> Option<&'t str> {
    let wanted: Vec<String> = candidate.keys.iter().map(|k| normalize(&k.sql())).collect();
    table
        .indexes
        .iter()
        .find(|index| {
            let keys: Vec<String> = index.keys().iter().map(|k| normalize(k)).collect();
            let all: Vec<String> = index.columns.iter().map(|k| normalize(k)).collect();
            index.valid
                && index.method == "btree"
                && index.predicate.as_deref().map(normalize)
                    == candidate.predicate.as_ref().map(|p| normalize(&p.sql))
                && keys.starts_with(&wanted)
                && candidate
                    .include
                    .iter()
                    .all(|c| all.contains(&normalize(&quote(c))))
        })
        .map(|index| index.name.as_str())
}

/// An expression as PostgreSQL prints it and as dbwise writes it, made comparable: casts,
/// quotes, parentheses and spaces dropped, lower case.
fn normalize(sql: &str) -> String {
    let mut out = String::new();
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ':' && chars.peek() == Some(&':') {
            chars.next();
            while chars
                .peek()
                .is_some_and(|c| c.is_alphanumeric() || *c == '_')
            {
                chars.next();
            }
            continue;
        }
        if !matches!(c, '(' | ')' | ' ' | '"') {
            out.extend(c.to_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::ExistingIndex;

    fn table(indexes: Vec<ExistingIndex>) -> Table {
        Table {
            schema: "public".into(),
            name: "users".into(),
            tuples: 1000.0,
            pages: 10,
            fillfactor: 100,
            columns: Vec::new(),
            indexes,
        }
    }

    fn index(columns: &[&str], key_count: usize, predicate: Option<&str>) -> ExistingIndex {
        ExistingIndex {
            schema: "public".into(),
            name: "existing".into(),
            method: "btree".into(),
            primary: false,
            unique: false,
            valid: true,
            constraint_backed: false,
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            key_count,
            predicate: predicate.map(str::to_owned),
            attnums: Vec::new(),
            foreign_keys: Vec::new(),
            bytes: 0,
            scans: 0,
            stats_reset: None,
        }
    }

    fn candidate(keys: Vec<Key>, include: &[&str]) -> Candidate {
        Candidate {
            table: 0,
            keys,
            include: include.iter().map(|c| (*c).to_owned()).collect(),
            predicate: None,
        }
    }

    #[test]
    fn an_index_with_the_same_leading_keys_serves_a_candidate() {
        let t = table(vec![
            index(&["account_id", "created_at", "kind"], 2, None),
            index(&["lower(email::text)"], 1, None),
            index(&["state"], 1, Some("state = 'pending'::text")),
        ]);
        let column = |n: &str| Key::Column(n.to_owned());
        assert!(served_by(&candidate(vec![column("account_id")], &[]), &t).is_some());
        assert!(
            served_by(
                &candidate(vec![column("account_id"), column("created_at")], &["kind"]),
                &t
            )
            .is_some()
        );
        assert!(served_by(&candidate(vec![column("created_at")], &[]), &t).is_none());
        assert!(served_by(&candidate(vec![column("account_id")], &["payload"]), &t).is_none());
        let lower = Key::Expression {
            sql: "lower(email)".into(),
            column: "email".into(),
        };
        assert!(served_by(&candidate(vec![lower], &[]), &t).is_some());
        // A partial index serves only a candidate with its predicate.
        assert!(served_by(&candidate(vec![column("state")], &[]), &t).is_none());
    }

    #[test]
    fn every_recommended_index_gets_a_free_name() {
        let mut taken = index(&["email"], 1, None);
        taken.name = "users_email_idx".into();
        let t = table(vec![taken]);
        let mut names = Names::new(std::slice::from_ref(&t));
        let column = |n: &str| Key::Column(n.to_owned());
        // Named like an existing index, then twice the same keys with other INCLUDE columns.
        assert_eq!(
            names.free(&candidate(vec![column("email")], &["id"]), &t),
            "users_email_idx1"
        );
        assert_eq!(
            names.free(&candidate(vec![column("created_at")], &["id"]), &t),
            "users_created_at_idx"
        );
        assert_eq!(
            names.free(&candidate(vec![column("created_at")], &["name"]), &t),
            "users_created_at_idx1"
        );
        // A long name is cut so that the number still fits in 63 bytes.
        let long = candidate(vec![column(&"x".repeat(80))], &[]);
        let first = names.free(&long, &t);
        let second = names.free(&long, &t);
        assert_eq!(first.len(), 63);
        assert!(second.len() <= 63 && second.ends_with("_idx1"), "{second}");
        assert_ne!(first, second);
    }
}
