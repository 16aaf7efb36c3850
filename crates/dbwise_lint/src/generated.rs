//! Migrations a tool writes from a schema of its own (Prisma's `schema.prisma`, drizzle's
//! TypeScript schema): a design change belongs in that schema, and SQL run by hand leaves the
//! schema out of step with the database, so the next generated migration undoes or repeats it.

use dbwise_catalog::migrations::Framework;
use dbwise_diagnostics::Finding;

use crate::rules::design::common::CONVENTION_NOTE;

/// Put the way to make a design finding's change through the generating tool before its help,
/// when the finding's migration was generated. A convention note asks for a decision, not a
/// change, and is left as it is.
pub fn advise(framework: Option<Framework>, finding: &mut Finding) {
    if finding.message.ends_with(CONVENTION_NOTE) {
        return;
    }
    let lead = match (framework, prisma_change(finding.rule)) {
        (Some(Framework::Prisma), Some(change)) => format!(
            "Prisma Migrate writes these migrations from schema.prisma: {change} there and run `prisma migrate dev` \
             (SQL run by hand leaves schema.prisma out of step). In SQL:"
        ),
        (Some(Framework::Prisma), None) => {
            "Prisma Migrate writes these migrations, and schema.prisma cannot say this: \
             put the SQL in a migration of its own, made with `prisma migrate dev --create-only`."
                .to_owned()
        }
        (Some(Framework::Drizzle), _) => {
            "drizzle-kit writes these migrations: make the change in the drizzle schema and \
             run `drizzle-kit generate` (SQL run by hand leaves the schema out of step). In SQL:"
                .to_owned()
        }
        _ => return,
    };
    finding.help = format!("{lead} {}", finding.help);
}

/// How schema.prisma expresses what a rule asks for, by rule id.
const PRISMA_CHANGES: &[(&str, &str)] = &[
    (
        "foreign-key-without-index",
        "add `@@index([<field>])` for the key to its model",
    ),
    (
        "redundant-index",
        "remove the `@@index` or `@unique` that declares the redundant index",
    ),
    (
        "too-many-indexes",
        "remove the `@@index` lines of the indexes production never scans",
    ),
    (
        "timestamp-without-time-zone",
        "declare the field `DateTime @db.Timestamptz(3)`",
    ),
    (
        "nullable-boolean",
        "declare the flags `Boolean @default(false)` rather than `Boolean?`",
    ),
    (
        "missing-foreign-key",
        "declare the `@relation(fields: [<field>], references: [id])`",
    ),
    (
        "foreign-key-type-mismatch",
        "give the field the native type of the key it references",
    ),
    (
        "int-primary-key",
        "declare the key `BigInt @id @default(autoincrement())`",
    ),
    (
        "json-instead-of-jsonb",
        "remove `@db.Json`, so the field takes Prisma's default, jsonb",
    ),
    ("uuid-stored-as-text", "declare the field `String @db.Uuid`"),
    (
        "float-for-money",
        "declare the field `Decimal @db.Decimal(<precision>, <scale>)`",
    ),
    ("natural-key-without-unique", "mark the field `@unique`"),
    (
        "missing-primary-key",
        "give the model an `@id` or an `@@id([...])`",
    ),
];

fn prisma_change(rule: &str) -> Option<&'static str> {
    PRISMA_CHANGES
        .iter()
        .find(|(id, _)| *id == rule)
        .map(|(_, change)| *change)
}

#[cfg(test)]
mod tests {
    use dbwise_diagnostics::{Category, Severity};

    use super::*;

    fn finding(rule: &'static str, message: &str) -> Finding {
        Finding::new(rule, Category::Design, Severity::Warning, message).help("SQL;")
    }

    fn advised(framework: Option<Framework>, mut f: Finding) -> String {
        advise(framework, &mut f);
        f.help
    }

    #[test]
    fn the_lead_names_the_tool_and_keeps_the_sql() {
        let help = advised(
            Some(Framework::Prisma),
            finding("redundant-index", "index a duplicates b"),
        );
        assert!(
            help.starts_with("Prisma Migrate writes these migrations from schema.prisma: remove")
        );
        assert!(help.ends_with("In SQL: SQL;"), "{help}");
        let help = advised(
            Some(Framework::Prisma),
            finding("entity-attribute-value", "t holds attributes"),
        );
        assert!(
            help.contains("`prisma migrate dev --create-only`"),
            "{help}"
        );
        let help = advised(Some(Framework::Drizzle), finding("redundant-index", "x"));
        assert!(
            help.starts_with("drizzle-kit writes these migrations"),
            "{help}"
        );
    }

    #[test]
    fn every_prisma_change_names_a_rule_that_exists() {
        for (id, _) in PRISMA_CHANGES {
            assert!(
                crate::rules::ALL.iter().any(|rule| rule.meta.id == *id),
                "{id} is not a rule id"
            );
        }
    }

    #[test]
    fn hand_written_migrations_and_convention_notes_are_left_alone() {
        for framework in [
            None,
            Some(Framework::Flyway),
            Some(Framework::GolangMigrate),
        ] {
            assert_eq!(advised(framework, finding("redundant-index", "x")), "SQL;");
        }
        let note = finding(
            "timestamp-without-time-zone",
            &format!("9 columns, from t.a on, are `timestamp`{CONVENTION_NOTE}"),
        );
        assert_eq!(advised(Some(Framework::Prisma), note), "SQL;");
    }
}
