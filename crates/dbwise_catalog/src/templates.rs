//! Placeholders that migration tools fill in before the SQL runs: Go `text/template` actions
//! (`{{ index .Options "Namespace" }}.users`, as gobuffalo/pop expands them) and `${name}`
//! placeholders (`${schemaName}.asset`, as Flyway and Liquibase expand them), and psql
//! variables (`to :DATABASE_VISITOR`, as psql and graphile-migrate expand them). PostgreSQL
//! cannot parse these, so every statement holding one would be a syntax error. Each is read as the
//! name it holds instead, padded with spaces to its own length so that every position in the
//! file stays where it was.

use dbwise_diagnostics::Span;
use dbwise_syntax::{Verbatim, verbatim_regions};

/// The placeholders filled in one file: how many, and the first with the name it was read as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filled {
    pub actions: usize,
    pub first: String,
    pub first_name: String,
}

/// Words that open a control action (`{{ if .X }}`, `{{ end }}`): it is blanked, not named.
const CONTROL: &[&str] = &[
    "if", "else", "end", "range", "with", "define", "block", "template", "break", "continue",
];

/// Words that open a value action besides a field (`.X`) or a variable (`$x`).
const FUNCTIONS: &[&str] = &[
    "index", "print", "printf", "println", "html", "js", "urlquery",
];

/// Replace every placeholder of `text` by the name it holds, lower-cased (`{{ .Schema }}` and
/// `${schemaName}` read as `schema` and `schemaname`), or by spaces where no name fits: a
/// control action, or a placeholder joined to a word (`{{ .Prefix }}users`). A placeholder
/// quoted as a whole (`"{{ .Schema }}".users`) loses its quotes too. A `{{` that opens no
/// action, such as the two-dimensional array literal `'{{1,2},{3,4}}'`, and a `${` that holds
/// no name are left alone. None when nothing changed.
pub fn fill_placeholders(text: &mut String) -> Option<Filled> {
    let mut filled: Option<Filled> = None;
    // The comments, strings and quoted names of the text, found once a placeholder shows up:
    // a comment holds no placeholder worth filling, and psql does not look into any of them.
    let mut verbatim: Option<Vec<(Span, Verbatim)>> = None;
    let mut from = 0;
    while let Some(open) = text[from..].find(['{', '$', ':']).map(|at| from + at) {
        let psql = text.as_bytes()[open] == b':';
        let found = placeholder(&text[open..]).filter(|_| {
            // `::` is a cast.
            if psql && text[..open].ends_with(':') {
                return false;
            }
            // The regions do not overlap and come in file order: the one that may hold `open`
            // is the last to start at or before it.
            let regions = verbatim.get_or_insert_with(|| verbatim_regions(text));
            let before = regions.partition_point(|(r, _)| r.start as usize <= open);
            let inside = before
                .checked_sub(1)
                .map(|i| &regions[i])
                .filter(|(r, _)| open < r.end as usize);
            match inside {
                None => true,
                Some((_, Verbatim::Comment)) => false,
                // Flyway and the template engines fill strings too (a DO block's body).
                Some((_, Verbatim::Quoted)) => !psql,
            }
        });
        let Some((close, name)) = found else {
            from = open + 1;
            continue;
        };
        let close = open + close;
        let bytes = text.as_bytes();
        let quoted = open > 0 && bytes[open - 1] == b'"' && bytes.get(close) == Some(&b'"');
        let (start, end) = if quoted {
            (open - 1, close + 1)
        } else {
            (open, close)
        };
        let word = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
        let joined = word(start.checked_sub(1).map(|i| &bytes[i])) || word(bytes.get(end));
        // The name must fit before any line end inside the placeholder.
        let room = text[start..end].find(['\n', '\r']).unwrap_or(end - start);
        let name = if joined || name.len() > room {
            String::new()
        } else {
            name
        };
        let record = filled.get_or_insert_with(|| Filled {
            actions: 0,
            first: text[open..close].to_owned(),
            first_name: name.clone(),
        });
        record.actions += 1;
        let replacement: String = text[start..end]
            .bytes()
            .enumerate()
            .map(|(i, b)| match b {
                b'\n' | b'\r' => b as char,
                _ => name.as_bytes().get(i).map_or(' ', |&n| n as char),
            })
            .collect();
        text.replace_range(start..end, &replacement);
        from = end;
    }
    filled
}

/// The longest placeholder looked for: each search stops there, so that a file of unclosed
/// `{{` costs time in proportion to its size.
const MAX_PLACEHOLDER: usize = 1024;

/// The placeholder `rest` starts with: where it ends, and the name it stands for.
fn placeholder(rest: &str) -> Option<(usize, String)> {
    let rest = dbwise_diagnostics::truncate_at_char(rest, MAX_PLACEHOLDER);
    if let Some(inner) = rest.strip_prefix("{{") {
        let close = inner.find("}}")?;
        let action = inner[..close]
            .trim_start_matches('-')
            .trim_end_matches('-')
            .trim();
        return action_name(action).map(|name| (close + 4, name));
    }
    if let Some(inner) = rest.strip_prefix(':') {
        return psql_variable(inner).map(|(end, name)| (end + 1, name));
    }
    let inner = rest.strip_prefix("${")?;
    let close = inner.find('}')?;
    let key = &inner[..close];
    let named = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '-'));
    // `${flyway:defaultSchema}` names the default schema: the last part is the name.
    let last = key.rsplit([':', '.']).next().unwrap_or(key);
    named.then(|| (close + 3, identifier(last)))
}

/// A psql variable after its colon, as psql and graphile-migrate interpolate them: `:'name'`
/// (a string) and `:"name"` (an identifier) keep their quotes; `:NAME` in capitals (graphile's
/// `:DATABASE_OWNER`) reads as its name. A lower-case `:name` is left alone: it may be the end
/// of an array slice (`a[lo:hi]`).
fn psql_variable(inner: &str) -> Option<(usize, String)> {
    let plain = |key: &str| {
        key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    if let Some(quote) = inner.chars().next().filter(|c| matches!(c, '\'' | '"')) {
        let close = inner[1..].find(quote)? + 2;
        return plain(&inner[1..close - 1]).then(|| (close, inner[..close].to_owned()));
    }
    let end = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(inner.len());
    let key = &inner[..end];
    let capitals = key.len() >= 2
        && plain(key)
        && key
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    (capitals && !inner[end..].starts_with(':')).then(|| (end, identifier(key)))
}

/// The name a template action stands for, or an empty name for an action that stands for no
/// SQL (a control action or a comment); None when `inner` is not a Go template action.
fn action_name(inner: &str) -> Option<String> {
    if inner.starts_with("/*") {
        return Some(String::new());
    }
    let first = inner
        .split(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    if CONTROL.contains(&first) {
        return Some(String::new());
    }
    if !(first.starts_with('.') || first.starts_with('$') || FUNCTIONS.contains(&first)) {
        return None;
    }
    // The last key or field named: `index .Options "Namespace"` -> Namespace, `.Db.Schema`
    // -> Schema.
    let last = inner
        .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .find(|part| !part.is_empty())
        .unwrap_or("");
    Some(identifier(last))
}

/// `word` lower-cased, when it can stand as an unquoted identifier; empty otherwise.
fn identifier(word: &str) -> String {
    let name = word.to_ascii_lowercase();
    let usable = name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if usable { name } else { String::new() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(text: &str) -> (String, Option<Filled>) {
        let mut text = text.to_owned();
        let filled = fill_placeholders(&mut text);
        (text, filled)
    }

    #[test]
    fn a_schema_placeholder_reads_as_its_key_and_keeps_positions() {
        let sql = "ALTER TABLE {{ index .Options \"Namespace\" }}.users ADD COLUMN x int;\n";
        let (text, filled) = fill(sql);
        assert_eq!(text.len(), sql.len());
        assert!(text.starts_with("ALTER TABLE namespace "), "{text}");
        assert!(text.contains("   .users ADD COLUMN x int;\n"), "{text}");
        let filled = filled.unwrap();
        assert_eq!(filled.actions, 1);
        assert_eq!(filled.first, "{{ index .Options \"Namespace\" }}");
        assert_eq!(filled.first_name, "namespace");
    }

    #[test]
    fn fields_variables_and_trim_markers_are_named() {
        let (text, filled) = fill("CREATE TABLE {{- .Db.Schema -}}.a (); DROP TABLE {{$t}};");
        assert!(text.starts_with("CREATE TABLE schema"), "{text}");
        assert!(text.ends_with("DROP TABLE t     ;"), "{text}");
        assert_eq!(filled.unwrap().actions, 2);
    }

    #[test]
    fn a_quoted_action_loses_its_quotes() {
        let (text, _) = fill("CREATE INDEX i ON \"{{ .Schema }}\".t (a);");
        assert!(text.starts_with("CREATE INDEX i ON schema "), "{text}");
        assert!(!text.contains('"'), "{text}");
    }

    #[test]
    fn control_actions_comments_and_joined_actions_are_blanked() {
        let sql = "{{ if .Ok }}CREATE TABLE {{ .Prefix }}users ();{{ end }}{{/* note */}}\n";
        let (text, filled) = fill(sql);
        let blank = " ".repeat(13);
        assert_eq!(text.trim(), format!("CREATE TABLE {blank}users ();"));
        assert_eq!(filled.unwrap().actions, 4);
    }

    #[test]
    fn a_multi_line_action_keeps_its_line_ends() {
        let (text, _) = fill("SELECT 1 FROM {{ index .Options\n \"Namespace\" }}.t;\nSELECT 2;");
        assert_eq!(text.lines().count(), 3);
        assert!(text.ends_with(".t;\nSELECT 2;"), "{text}");
        let (text, _) = fill("SELECT 1 FROM {{ .X\n}}.t;");
        assert_eq!(text, "SELECT 1 FROM x    \n  .t;");
        let (text, _) = fill("SELECT 1 FROM {{\n.Schema }}.t;");
        assert_eq!(text, "SELECT 1 FROM   \n          .t;");
    }

    #[test]
    fn dollar_brace_placeholders_read_as_their_names() {
        let sql = "CREATE INDEX i ON ${schemaName}.asset (id);\nALTER TABLE \"${flyway:defaultSchema}\".t ADD x int;";
        let (text, filled) = fill(sql);
        assert_eq!(text.len(), sql.len());
        assert!(
            text.starts_with("CREATE INDEX i ON schemaname   .asset (id);"),
            "{text}"
        );
        let padded = format!("ALTER TABLE defaultschema{}.t ADD x int;", " ".repeat(12));
        assert!(text.ends_with(&padded), "{text}");
        let filled = filled.unwrap();
        assert_eq!(filled.actions, 2);
        assert_eq!(filled.first, "${schemaName}");
        // Dollar quotes, a lone dollar sign and an empty or odd key are not placeholders.
        for sql in [
            "DO $$ BEGIN END $$;",
            "SELECT $1, '${}', '${1x}';",
            "SELECT $a$x$a$;",
        ] {
            let (text, filled) = fill(sql);
            assert_eq!((text.as_str(), filled), (sql, None));
        }
    }

    #[test]
    fn psql_variables_read_as_names_and_casts_and_slices_stay() {
        let sql =
            "GRANT USAGE ON SCHEMA app TO :DATABASE_VISITOR;\nSELECT :'label', :\"col\" FROM t;";
        let (text, filled) = fill(sql);
        assert!(
            text.starts_with("GRANT USAGE ON SCHEMA app TO database_visitor ;"),
            "{text}"
        );
        assert!(
            text.ends_with("SELECT 'label' , \"col\"  FROM t;"),
            "{text}"
        );
        assert_eq!(filled.unwrap().actions, 3);
        for sql in [
            "SELECT x::INT, a[1:2], a[lo:hi], '12:00:00'::time;",
            "SELECT :'bad name', :\"\";",
            // psql does not look into strings, quoted names, comments or dollar quotes.
            "SELECT to_char(now(), 'YYYY-MM-DD HH24:MI:SS'), '{\"name\":\"x\"}'::jsonb;",
            "SELECT 1 AS \"a:B\"; -- grant to :ROLE\nDO $$ BEGIN PERFORM :ABC; END $$;",
            // A comment holds no placeholder worth filling.
            "-- the URL is `${WEBAPP_URL}/api`, see {{ .Docs }}\nSELECT 1;",
        ] {
            let (text, filled) = fill(sql);
            assert_eq!((text.as_str(), filled), (sql, None));
        }
    }

    #[test]
    fn unclosed_openings_cost_time_in_proportion_to_the_file() {
        // Each opening looks no further than MAX_PLACEHOLDER bytes for its end.
        let sql = "{{ .A ".repeat(200_000) + "}}";
        let (text, filled) = fill(&sql);
        assert_eq!(text.len(), sql.len());
        // Only the last opening, near the one closing, is within reach of it.
        assert_eq!(filled.map(|f| f.actions), Some(1));
        let sql = format!("{} {{{{ .Schema }}}}.t", "x".repeat(MAX_PLACEHOLDER));
        assert!(
            fill(&sql).0.ends_with("schema       .t"),
            "a placeholder after a long run is found"
        );
    }

    #[test]
    fn array_literals_and_unclosed_braces_are_left_alone() {
        for sql in [
            "SELECT '{{1,2},{3,4}}'::int[];",
            "SELECT '{{\"a\",\"b\"}}'::text[];",
            "SELECT '{{1,2}';",
            "SELECT 1; -- {{ .X",
        ] {
            let (text, filled) = fill(sql);
            assert_eq!(text, sql);
            assert_eq!(filled, None);
        }
    }
}
