use dbwise_diagnostics::{Category, Finding, Severity, SourceFile};

use crate::rule::{Check, Rule, RuleMeta};
use crate::rules;
use crate::suppress::Suppression;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "unused-suppression",
        category: Category::Syntax,
        severity: Severity::Info,
        summary: "a dbwise-ignore comment that names an unknown rule or suppresses nothing",
        doc: "## What it finds
A `-- dbwise-ignore rule-id: reason` comment (which covers the next statement) or a
`-- dbwise-ignore-file rule-id` comment (which covers the whole file) that names a rule dbwise
does not have, or that did not suppress any finding.

## Why it matters
A stale suppression hides nothing today but will silently hide a real finding later, and a
misspelt rule id suppresses nothing at all.

## Example
```sql
-- dbwise-ignore foreign-key-without-indx: small table
ALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers (id);
```

## Use instead
Spell the rule id as `dbwise rules` lists it, and delete suppressions that no longer match a
finding.
",
        options: &[],
    },
    check: Check::Driver,
};

pub(crate) fn findings(file: &SourceFile, suppressions: &[Suppression]) -> Vec<Finding> {
    suppressions
        .iter()
        .filter(|s| !s.used)
        .map(|s| {
            let known = rules::find(&s.rule).is_some();
            let message = if known {
                format!("this suppression of `{}` matches no finding", s.rule)
            } else {
                format!("`{}` is not a dbwise rule", s.rule)
            };
            let help = if known {
                "Remove the comment, or move it right above the statement it is meant for.".to_owned()
            } else {
                "Use a rule id from `dbwise rules`.".to_owned()
            };
            Finding::new(RULE.meta.id, RULE.meta.category, RULE.meta.severity, message)
                .at(file, s.comment)
                .why("A suppression that matches nothing hides nothing now and may hide a real finding later.")
                .help(help)
        })
        .collect()
}
