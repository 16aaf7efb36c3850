//! Differential: dbwise's tokenizer against PostgreSQL's own scanner (libpg_query's), on texts
//! chosen where hand-written scanners tend to go wrong.

use dbwise_syntax::tokens::compare_with_server;

/// Texts the server's scanner accepts: each must be cut exactly as the server cuts it.
const SAME: &[&str] = &[
    // Strings and their prefixes.
    r"select 'it''s', E'it\'s', e'\\', E'a''b\x41\101\u0041'",
    r"select 'back\', 'slash'",
    "select N'national', n'x', B'0101', b'1', X'1F', x'ff'",
    "select U&'d\\0061t\\+000061', u&'x' UESCAPE '!'",
    "select U&\"d\\0061t\", u&\"x\"\"y\"",
    "select \"a\"\"b\", \"\"\"\", \"tab\tname\"",
    "select abe'x', e'x', some_e 'y'",
    // A string continued on the next line, with the rules of its first part.
    "select 'a'\n'b', E'c'\n  'd\\'e' -- comment\n'f'",
    "select 'a' 'b'",
    "select B'01'\n'10', X'1f'\n-- gap\n'2e'",
    // Dollar signs.
    "select $$a$$, $tag$ $$ ; $tag$, $_$x$_$, $a1$b$a1$",
    "select a$$b, a$1, x$, $1, $12, $1::int, $1_000",
    "select $a$ $b$a$, $b$ $a$b$",
    "select $$ $$$$ $$",
    "select $é$ x $é$, é$$x",
    // Comments.
    "select 1 /* a /* nested */ still */ + 2",
    "select /**/ 1 /***/ /* ** / */ 2",
    "select 1 -- to the end\r2",
    "select 1 --\n2 /*/ x */",
    // Operators, and comments that start inside them.
    "select a*/b, a*/*c*/b, a+--c\n b, a/-- c\n1",
    "select a=-1, a<-1, a@-1, a!=-1, a<>+1, a?-b, a||-b",
    "select a::int, a..b, a:=1, a=>1, a<=b, a>=b, a<>b, a!=b, a->>'k', a#-'{x}'",
    "select +-+1, - -1, a ~~* b, a !~ b, a @@ b, a &< b, a ` b",
    "select a[1:2], (a).b, t.*, ;",
    // Numbers.
    "select 1, 1_000, 0x1F, 0X_1f, 0o17, 0b101, 0b_1",
    "select 1.5, .5, 1., 1.e5, 1e-3, 1.5E+10, 1_000.000_1, 1..2",
    "select t.5, a.b.c",
    // Names.
    "select _x, x1, \u{e9}t\u{e9}, caf\u{e9}$1, \u{a0}x, ABC",
    // Other characters.
    "select {x}, \\x, ?",
];

#[test]
fn tokenizer_cuts_texts_as_the_server_does() {
    let mut differences = Vec::new();
    for sql in SAME {
        match compare_with_server(sql) {
            Ok(true) => {}
            Ok(false) => differences.push(format!("the server rejects {sql:?}")),
            Err(difference) => differences.push(format!("{sql:?}: {difference}")),
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

/// Texts the server's scanner rejects: the comparison says so rather than passing them.
#[test]
fn texts_the_server_rejects_are_told_apart() {
    for sql in [
        "select 'open",
        "select \"open",
        "select $q$ open",
        "select 1abc",
        "select \"\"",
        "select 1 /* open /* deeper */",
    ] {
        assert_eq!(compare_with_server(sql), Ok(false), "{sql:?}");
    }
}

/// Pieces that open, close or continue tokens, for texts made of random runs of them.
const FRAGMENTS: &[&str] = &[
    "'", "\"", "''", "\"\"", "E'", "e'", "B'", "X'", "N'", "U&'", "U&\"", "u&", "\\", "\\'", "$",
    "$$", "$a$", "$1", "$_", "a$", "/*", "*/", "*", "/", "--", "-", "+", "=", "<", ">", "!", "@",
    "#", "%", "^", "&", "|", "`", "?", "~", ":", "::", ".", "..", ",", ";", "(", ")", "[", "]",
    "0", "1", "9", "0x", "0b", "0o", "e", "E", "_", "x", "a", "select", " ", "\n", "\r", "\t",
    "\u{e9}", "\u{a0}", "{", "}",
];

/// A few thousand texts strung together from [`FRAGMENTS`] by a fixed pseudo-random sequence:
/// every one the server's scanner accepts must be cut alike.
#[test]
fn random_texts_are_cut_as_the_server_does() {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut accepted = 0;
    for _ in 0..20_000 {
        let len = 1 + next() % 12;
        let text: String = (0..len)
            .map(|_| FRAGMENTS[(next() % FRAGMENTS.len() as u64) as usize])
            .collect();
        match compare_with_server(&text) {
            Ok(same) => accepted += usize::from(same),
            Err(difference) => panic!("{text:?}: {difference}"),
        }
    }
    // Enough of them must be valid to the server for the test to say something.
    assert!(accepted > 5_000, "only {accepted} texts scanned");
}
