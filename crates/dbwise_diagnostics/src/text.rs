//! Text for people: input made safe to print on a terminal or in a CI log, numbers grouped.

use std::borrow::Cow;

/// `text` with every control character (C0 but tab, DEL, C1) written as a `\u{..}` escape,
/// so that a name or a server message cannot move the cursor, colour the terminal, or start a
/// new line that a CI log reads as a command of its own (`::error::`).
pub fn escape_control(text: &str) -> Cow<'_, str> {
    escape_where(text, |c| c != '\t' && c.is_control())
}

/// [`escape_control`] for text of several lines: line feeds are kept.
pub fn escape_control_but_lines(text: &str) -> Cow<'_, str> {
    escape_where(text, |c| c != '\t' && c != '\n' && c.is_control())
}

/// A string of decimal digits with a comma between each group of three: `1234567` as
/// `1,234,567`.
pub fn group_digits(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// `value` with its digits grouped ([`group_digits`]).
pub fn thousands(value: u64) -> String {
    group_digits(&value.to_string())
}

/// `text` on one line (each run of whitespace one space, control characters escaped), cut to
/// `limit` characters, the last of them `ellipsis`.
pub fn one_line(text: &str, limit: usize, ellipsis: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let flat = escape_control(&flat).into_owned();
    if flat.chars().count() <= limit {
        return flat;
    }
    let cut: String = flat
        .chars()
        .take(limit.saturating_sub(ellipsis.chars().count()))
        .collect();
    format!("{cut}{ellipsis}")
}

fn escape_where(text: &str, escaped: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&escaped) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escaped(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` cut to at most `max` bytes, at a character boundary.
pub fn truncate_at_char(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_the_rest_kept() {
        assert_eq!(
            escape_control("t\u{1b}[31mred\n::error::forged\r"),
            "t\\u{1b}[31mred\\u{a}::error::forged\\u{d}"
        );
        assert_eq!(escape_control("\u{9b}2J\u{7f}"), "\\u{9b}2J\\u{7f}");
        assert!(matches!(
            escape_control("plain\ttext é"),
            Cow::Borrowed("plain\ttext é")
        ));
        assert_eq!(
            escape_control_but_lines("a\nb\u{1b}[0m\r"),
            "a\nb\\u{1b}[0m\\u{d}"
        );
    }

    #[test]
    fn digits_are_grouped_by_three_from_the_right() {
        assert_eq!(group_digits(""), "");
        assert_eq!(group_digits("999"), "999");
        assert_eq!(group_digits("1000"), "1,000");
        assert_eq!(group_digits("123456"), "123,456");
        assert_eq!(group_digits("1234567"), "1,234,567");
    }

    #[test]
    fn long_text_is_flattened_and_cut() {
        assert_eq!(
            one_line("ALTER TABLE t\n    ADD COLUMN c int", 100, "…"),
            "ALTER TABLE t ADD COLUMN c int"
        );
        assert_eq!(one_line("abcdefgh", 5, "…"), "abcd…");
        assert_eq!(one_line("abcdefgh", 5, "..."), "ab...");
        assert_eq!(one_line("a\u{1b}b", 10, "..."), "a\\u{1b}b");
    }

    #[test]
    fn truncation_never_splits_a_character() {
        assert_eq!(truncate_at_char("héllo", 2), "h");
        assert_eq!(truncate_at_char("héllo", 3), "hé");
        assert_eq!(truncate_at_char("abc", 10), "abc");
        assert_eq!(truncate_at_char("€", 0), "");
    }
}
