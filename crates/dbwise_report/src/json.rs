use std::io::{self, Write};

use dbwise_diagnostics::{ConventionNotes, EarlierFindings, Finding, UnsizedFindings};

use crate::{Summary, counts, positions};

/// Write the documented, stable JSON shape (see `docs/output.md`) to `out`, laid out as
/// `serde_json`'s pretty printer lays it out. The diagnostics are written directly rather than
/// through serde: a large result is mostly message, why and help text, and escaping it a word
/// at a time is several times faster than serde_json's byte-by-byte scan.
pub fn render_json(
    findings: &[Finding],
    summary: &Summary,
    out: &mut impl Write,
) -> io::Result<()> {
    render_json_with(findings, summary, &[], out)
}

/// [`render_json`] with more members after `summary`: each a name and its value, JSON text
/// another renderer wrote (such as the workload report of `dbwise inspect`).
pub fn render_json_with(
    findings: &[Finding],
    summary: &Summary,
    members: &[(&str, &str)],
    out: &mut impl Write,
) -> io::Result<()> {
    out.write_all(b"{\n  \"diagnostics\": [")?;
    for (i, f) in findings.iter().enumerate() {
        out.write_all(if i == 0 { b"\n    {" } else { b",\n    {" })?;
        diagnostic(f, out)?;
        out.write_all(b"\n    }")?;
    }
    if !findings.is_empty() {
        out.write_all(b"\n  ")?;
    }
    let c = counts(findings);
    write!(
        out,
        "],\n  \"summary\": {{\n    \"files\": {},\n    \"statements\": {},\n    \"errors\": {},\n    \"warnings\": {},\n    \"infos\": {}",
        summary.files, summary.statements, c.errors, c.warnings, c.infos
    )?;
    if let Some(earlier) = &summary.earlier {
        earlier_migrations(earlier, out)?;
    }
    if let Some(unknown) = &summary.unknown_sizes {
        unknown_sizes(unknown, out)?;
    }
    if let Some(notes) = &summary.conventions {
        conventions(notes, out)?;
    }
    out.write_all(b"\n  }")?;
    for (name, value) in members {
        out.write_all(b",\n  ")?;
        string(name, out)?;
        write!(out, ": {}", value.trim_end())?;
    }
    writeln!(out, "\n}}")
}

/// The `earlier_migrations` member of the summary: what was counted instead of listed.
fn earlier_migrations(e: &EarlierFindings, out: &mut impl Write) -> io::Result<()> {
    write!(
        out,
        ",\n    \"earlier_migrations\": {{\n      \"findings\": {},\n      \"migrations\": {},\n      \"by_rule\": {{",
        e.findings, e.migrations
    )?;
    by_rule(&e.by_rule, out)?;
    let ((line, _), _) = positions(&e.newest);
    out.write_all(b"\n      },\n      \"newest\": {\n        \"rule\": ")?;
    string(e.newest.rule, out)?;
    out.write_all(b",\n        \"file\": ")?;
    string(e.newest.path(), out)?;
    write!(out, ",\n        \"line\": {line},\n        \"message\": ")?;
    string(&e.newest.message, out)?;
    out.write_all(b"\n      }\n    }")
}

/// The `unknown_sizes` member of the summary: findings on tables of unknown size, counted.
fn unknown_sizes(u: &UnsizedFindings, out: &mut impl Write) -> io::Result<()> {
    write!(
        out,
        ",\n    \"unknown_sizes\": {{\n      \"findings\": {},\n      \"tables\": {},\n      \"by_rule\": {{",
        u.findings, u.tables
    )?;
    by_rule(&u.by_rule, out)?;
    out.write_all(b"\n      }\n    }")
}

/// The `conventions` member of the summary: notes on schema-wide conventions, counted.
fn conventions(c: &ConventionNotes, out: &mut impl Write) -> io::Result<()> {
    write!(
        out,
        ",\n    \"conventions\": {{\n      \"findings\": {},\n      \"by_rule\": {{",
        c.findings
    )?;
    by_rule(&c.by_rule, out)?;
    out.write_all(b"\n      }\n    }")
}

/// The members of a `by_rule` object, in the order given.
fn by_rule(counts: &[(&'static str, usize)], out: &mut impl Write) -> io::Result<()> {
    for (i, (rule, n)) in counts.iter().enumerate() {
        out.write_all(if i == 0 {
            b"\n        "
        } else {
            b",\n        "
        })?;
        string(rule, out)?;
        write!(out, ": {n}")?;
    }
    Ok(())
}

/// A member whose shape is its serde one, indented to sit inside the diagnostic.
fn member(key: &str, value: &impl serde::Serialize, out: &mut impl Write) -> io::Result<()> {
    write!(out, ",\n      \"{key}\": ")?;
    let text = serde_json::to_vec_pretty(value)?;
    for (i, line) in text.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.write_all(b"\n      ")?;
        }
        out.write_all(line)?;
    }
    Ok(())
}

/// The members of one diagnostic, each on its own line at the depth of an array element's.
fn diagnostic(f: &Finding, out: &mut impl Write) -> io::Result<()> {
    const MEMBER: &[u8] = b"\n      ";
    let ((line, column), (end_line, end_column)) = positions(f);
    let texts = [
        ("rule", f.rule),
        ("category", f.category.as_str()),
        ("severity", f.severity.as_str()),
        ("file", f.path()),
    ];
    for (i, (key, value)) in texts.into_iter().enumerate() {
        out.write_all(if i == 0 { MEMBER } else { b",\n      " })?;
        write!(out, "\"{key}\": ")?;
        string(value, out)?;
    }
    if let Some(object) = &f.object {
        out.write_all(b",\n      \"object\": ")?;
        string(object, out)?;
    }
    write!(
        out,
        ",\n      \"line\": {line},\n      \"column\": {column},\n      \"end_line\": {end_line},\n      \"end_column\": {end_column}"
    )?;
    for (key, value) in [("message", &f.message), ("why", &f.why), ("help", &f.help)] {
        write!(out, ",\n      \"{key}\": ")?;
        string(value, out)?;
    }
    if let Some(fix) = &f.fix {
        member("fix", fix, out)?;
    }
    if let Some(suggestion) = &f.suggestion {
        member("suggestion", suggestion, out)?;
    }
    Ok(())
}

/// A JSON string, escaped as serde_json escapes it.
fn string(text: &str, out: &mut impl Write) -> io::Result<()> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = text.as_bytes();
    out.write_all(b"\"")?;
    let mut start = 0;
    while let Some(i) = next_escape(bytes, start) {
        out.write_all(&bytes[start..i])?;
        let byte = bytes[i];
        match byte {
            b'"' => out.write_all(b"\\\"")?,
            b'\\' => out.write_all(b"\\\\")?,
            b'\n' => out.write_all(b"\\n")?,
            b'\r' => out.write_all(b"\\r")?,
            b'\t' => out.write_all(b"\\t")?,
            0x08 => out.write_all(b"\\b")?,
            0x0c => out.write_all(b"\\f")?,
            _ => out.write_all(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(byte >> 4)],
                HEX[usize::from(byte & 0xf)],
            ])?,
        }
        start = i + 1;
    }
    out.write_all(&bytes[start..])?;
    out.write_all(b"\"")
}

/// The first position from `from` of a byte a JSON string must escape: a quote, a backslash
/// or a control character. Eight bytes are tested at once while none of them is one.
fn next_escape(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    // Non-zero when a byte of `word` is below `n` (n <= 128).
    let below = |word: u64, n: u8| word.wrapping_sub(ONES * u64::from(n)) & !word & HIGHS;
    let mut at = from;
    while let Some(chunk) = bytes.get(at..).and_then(<[u8]>::first_chunk::<8>) {
        let word = u64::from_ne_bytes(*chunk);
        let quote = word ^ (ONES * u64::from(b'"'));
        let backslash = word ^ (ONES * u64::from(b'\\'));
        if below(word, 0x20) | below(quote, 1) | below(backslash, 1) != 0 {
            break;
        }
        at += 8;
    }
    let rest = bytes.get(at..)?;
    rest.iter()
        .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
        .map(|i| at + i)
}

#[cfg(test)]
mod tests {
    use dbwise_diagnostics::{
        Applicability, Category, EarlierFindings, Edit, Finding, Fix, Severity, SourceFile, Span,
    };
    use serde::Serialize;

    use super::*;

    /// The documented shape, serialized by serde_json: what `render_json` must write.
    #[derive(Serialize)]
    struct Output<'a> {
        diagnostics: Vec<Diagnostic<'a>>,
        summary: JsonSummary<'a>,
    }

    #[derive(Serialize)]
    struct Diagnostic<'a> {
        rule: &'a str,
        category: &'a str,
        severity: &'a str,
        file: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        object: Option<&'a str>,
        line: u32,
        column: u32,
        end_line: u32,
        end_column: u32,
        message: &'a str,
        why: &'a str,
        help: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        fix: Option<&'a Fix>,
    }

    #[derive(Serialize)]
    struct JsonSummary<'a> {
        files: usize,
        statements: usize,
        errors: usize,
        warnings: usize,
        infos: usize,
        #[serde(skip_serializing_if = "Option::is_none")]
        earlier_migrations: Option<JsonEarlier<'a>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        unknown_sizes: Option<JsonUnknown>,
        #[serde(skip_serializing_if = "Option::is_none")]
        conventions: Option<JsonConventions>,
    }

    #[derive(Serialize)]
    struct JsonConventions {
        findings: usize,
        by_rule: serde_json::Map<String, serde_json::Value>,
    }

    #[derive(Serialize)]
    struct JsonUnknown {
        findings: usize,
        tables: usize,
        by_rule: serde_json::Map<String, serde_json::Value>,
    }

    fn count_map(by_rule: &[(&str, usize)]) -> serde_json::Map<String, serde_json::Value> {
        by_rule
            .iter()
            .map(|(r, n)| (r.to_string(), (*n).into()))
            .collect()
    }

    #[derive(Serialize)]
    struct JsonEarlier<'a> {
        findings: usize,
        migrations: usize,
        /// serde_json's map writes its keys in name order.
        by_rule: serde_json::Map<String, serde_json::Value>,
        newest: JsonNewest<'a>,
    }

    #[derive(Serialize)]
    struct JsonNewest<'a> {
        rule: &'a str,
        file: &'a str,
        line: u32,
        message: &'a str,
    }

    fn by_serde(findings: &[Finding], summary: &Summary) -> String {
        let c = counts(findings);
        let output = Output {
            diagnostics: findings
                .iter()
                .map(|f| {
                    let ((line, column), (end_line, end_column)) = positions(f);
                    Diagnostic {
                        rule: f.rule,
                        category: f.category.as_str(),
                        severity: f.severity.as_str(),
                        file: f.path(),
                        object: f.object.as_deref(),
                        line,
                        column,
                        end_line,
                        end_column,
                        message: &f.message,
                        why: &f.why,
                        help: &f.help,
                        fix: f.fix.as_ref(),
                    }
                })
                .collect(),
            summary: JsonSummary {
                files: summary.files,
                statements: summary.statements,
                errors: c.errors,
                warnings: c.warnings,
                infos: c.infos,
                earlier_migrations: summary.earlier.as_ref().map(|e| JsonEarlier {
                    findings: e.findings,
                    migrations: e.migrations,
                    by_rule: count_map(&e.by_rule),
                    newest: JsonNewest {
                        rule: e.newest.rule,
                        file: e.newest.path(),
                        line: positions(&e.newest).0.0,
                        message: &e.newest.message,
                    },
                }),
                unknown_sizes: summary.unknown_sizes.as_ref().map(|u| JsonUnknown {
                    findings: u.findings,
                    tables: u.tables,
                    by_rule: count_map(&u.by_rule),
                }),
                conventions: summary.conventions.as_ref().map(|c| JsonConventions {
                    findings: c.findings,
                    by_rule: count_map(&c.by_rule),
                }),
            },
        };
        serde_json::to_string_pretty(&output).unwrap() + "\n"
    }

    fn rendered(findings: &[Finding], summary: &Summary) -> String {
        let mut out = Vec::new();
        render_json(findings, summary, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn writes_what_serde_json_writes() {
        let file = SourceFile::new(
            "dir/\"odd\".sql",
            "select 1;\nalter table t add column é int;\n",
        );
        let tricky = "quotes \" and \\ backslashes, \t tab, \n newline, \r, \u{8}, \u{c}, \u{1}, \u{1f}, \u{7f}, é, 日本, a long run of plain text to cover whole words";
        let plain = Finding::new("rule-a", Category::Design, Severity::Warning, tricky)
            .at(&file, Span::new(10, 20))
            .why("why")
            .help(tricky);
        let with_fix = Finding::new("rule-b", Category::Migration, Severity::Error, "m")
            .at(&file, Span::new(0, 6))
            .fix(Fix {
                title: "use \"x\"".into(),
                applicability: Applicability::Safe,
                edits: vec![
                    Edit {
                        span: Span::new(0, 6),
                        replacement: "SELECT\n".into(),
                    },
                    Edit {
                        span: Span::new(7, 8),
                        replacement: String::new(),
                    },
                ],
            });
        let no_edits = Finding::new("rule-c", Category::Query, Severity::Info, "").fix(Fix {
            title: String::new(),
            applicability: Applicability::Unsafe,
            edits: Vec::new(),
        });
        let mut summary = Summary {
            files: 2,
            statements: 7,
            earlier: None,
            unknown_sizes: None,
            conventions: None,
        };
        let live = Finding::new("rule-d", Category::Live, Severity::Warning, "unused")
            .on("public.\"odd\" name");
        let findings = [plain, with_fix, no_edits, live];
        assert_eq!(rendered(&findings, &summary), by_serde(&findings, &summary));
        assert_eq!(rendered(&[], &summary), by_serde(&[], &summary));
        // The rules in name order, as serde_json's map writes them.
        summary.earlier = Some(EarlierFindings {
            findings: 5,
            migrations: 3,
            by_rule: vec![("create-index-non-concurrently", 4), ("drop-column", 1)],
            newest: findings[0].clone(),
        });
        assert_eq!(rendered(&findings, &summary), by_serde(&findings, &summary));
        summary.unknown_sizes = Some(UnsizedFindings {
            findings: 9,
            tables: 4,
            by_rule: vec![("foreign-key-without-index", 7), ("redundant-index", 2)],
        });
        assert_eq!(rendered(&findings, &summary), by_serde(&findings, &summary));
        summary.conventions = Some(ConventionNotes {
            findings: 3,
            by_rule: vec![("int-primary-key", 1), ("timestamp-without-time-zone", 2)],
        });
        assert_eq!(rendered(&findings, &summary), by_serde(&findings, &summary));
    }

    #[test]
    fn finds_every_byte_to_escape_wherever_it_falls() {
        for len in 0..20 {
            for at in 0..len {
                for special in [b'"', b'\\', 0x00, 0x1f] {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = special;
                    assert_eq!(next_escape(&bytes, 0), Some(at), "{len} {at} {special}");
                    assert_eq!(next_escape(&bytes, at + 1), None);
                }
            }
            assert_eq!(next_escape(&vec![0x7f; len], 0), None);
            assert_eq!(next_escape(&vec![0xe9; len], 0), None);
        }
    }
}
