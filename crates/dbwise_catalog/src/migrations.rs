//! Discovery of migration sets: which files, in which order, and whether the framework runs
//! each one inside a transaction.

use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framework {
    /// `<timestamp>_<name>/up.sql` (and `down.sql`); each migration in a transaction unless its
    /// `metadata.toml` says `run_in_transaction = false`.
    Diesel,
    /// Prisma Migrate: `<timestamp>_<name>/migration.sql`, the file sent as one script.
    Prisma,
    /// Flyway: `V<version>__<description>.sql`; a transaction per migration unless the script's
    /// `.conf` file says `executeInTransaction=false`.
    Flyway,
    /// sqlx: `<version>_<description>.sql` or `.up.sql`; a transaction unless the file starts with
    /// `-- no-transaction`.
    Sqlx,
    /// golang-migrate: `<version>_<title>.up.sql`, the file sent as one multi-statement query.
    GolangMigrate,
    /// Any other folder of `.sql` files, applied in lexical order with no transaction added.
    Plain,
}

impl Framework {
    pub const ALL: [(&'static str, Framework); 6] = [
        ("diesel", Framework::Diesel),
        ("prisma", Framework::Prisma),
        ("flyway", Framework::Flyway),
        ("sqlx", Framework::Sqlx),
        ("golang-migrate", Framework::GolangMigrate),
        ("plain", Framework::Plain),
    ];

    pub fn parse(name: &str) -> Option<Framework> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|&(_, f)| f)
    }

    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("plain", |(n, _)| n)
    }
}

/// How a migration's statements are grouped into transactions when the framework runs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransactionMode {
    /// The framework wraps the whole migration in BEGIN / COMMIT.
    Wrapped,
    /// The file is sent as one multi-statement query: PostgreSQL runs it as one implicit
    /// transaction when it holds more than one statement.
    ImplicitWhenMultiStatement,
    /// Each statement commits on its own unless the file writes BEGIN / COMMIT itself.
    None,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// The version or folder name that orders it.
    pub id: String,
    pub up: PathBuf,
    pub down: Option<PathBuf>,
    pub transaction: TransactionMode,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationSet {
    pub root: PathBuf,
    pub framework: Framework,
    pub migrations: Vec<Migration>,
}

#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("{path}: cannot read the folder: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{path}: no SQL migrations found (looked for diesel/Prisma folders, Flyway, sqlx and golang-migrate files, and plain .sql files)"
    )]
    Empty { path: PathBuf },
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> DiscoverError + '_ {
    move |source| DiscoverError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Find the migrations in `dir`, detecting the framework unless one is given.
pub fn discover(dir: &Path, framework: Option<Framework>) -> Result<MigrationSet, DiscoverError> {
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io_err(dir))? {
        let entry = entry.map_err(io_err(dir))?;
        let path = entry.path();
        if path.is_dir() {
            dirs.push(path);
        } else {
            files.push(path);
        }
    }
    let name_of = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let framework = framework.unwrap_or_else(|| detect(&dirs, &files, &name_of));
    let mut migrations = match framework {
        Framework::Diesel | Framework::Prisma => {
            let file = if framework == Framework::Diesel {
                "up.sql"
            } else {
                "migration.sql"
            };
            dirs.iter()
                .filter(|d| d.join(file).is_file())
                .map(|d| Migration {
                    id: name_of(d),
                    up: d.join(file),
                    down: Some(d.join("down.sql")).filter(|p| p.is_file()),
                    transaction: if framework == Framework::Prisma {
                        TransactionMode::ImplicitWhenMultiStatement
                    } else if diesel_opts_out(d) {
                        TransactionMode::None
                    } else {
                        TransactionMode::Wrapped
                    },
                })
                .collect::<Vec<_>>()
        }
        Framework::Flyway => files
            .iter()
            .filter_map(|f| {
                let name = name_of(f);
                let version = name.strip_prefix('V')?.split_once("__")?.0.to_owned();
                name.ends_with(".sql").then(|| Migration {
                    id: version,
                    up: f.clone(),
                    down: None,
                    transaction: if flyway_opts_out(f) {
                        TransactionMode::None
                    } else {
                        TransactionMode::Wrapped
                    },
                })
            })
            .collect(),
        Framework::Sqlx | Framework::GolangMigrate => files
            .iter()
            .filter_map(|f| {
                let name = name_of(f);
                if !name.ends_with(".sql") || name.ends_with(".down.sql") {
                    return None;
                }
                let version = name.split_once('_')?.0.to_owned();
                let down = f.with_file_name(name.replace(".up.sql", ".down.sql"));
                let transaction = match framework {
                    Framework::GolangMigrate => TransactionMode::ImplicitWhenMultiStatement,
                    _ if sqlx_opts_out(f) => TransactionMode::None,
                    _ => TransactionMode::Wrapped,
                };
                Some(Migration {
                    id: version,
                    up: f.clone(),
                    down: (name.ends_with(".up.sql") && down.is_file()).then_some(down),
                    transaction,
                })
            })
            .collect(),
        Framework::Plain => files
            .iter()
            .filter(|f| name_of(f).ends_with(".sql") && !name_of(f).ends_with(".down.sql"))
            .map(|f| Migration {
                id: name_of(f),
                up: f.clone(),
                down: None,
                transaction: TransactionMode::None,
            })
            .collect(),
    };
    migrations.sort_by(|a, b| natural_cmp(&a.id, &b.id).then_with(|| a.up.cmp(&b.up)));
    if migrations.is_empty() {
        return Err(DiscoverError::Empty {
            path: dir.to_owned(),
        });
    }
    Ok(MigrationSet {
        root: dir.to_owned(),
        framework,
        migrations,
    })
}

fn detect(dirs: &[PathBuf], files: &[PathBuf], name_of: &dyn Fn(&Path) -> String) -> Framework {
    if dirs.iter().any(|d| d.join("migration.sql").is_file()) {
        return Framework::Prisma;
    }
    if dirs.iter().any(|d| d.join("up.sql").is_file()) {
        return Framework::Diesel;
    }
    let names: Vec<String> = files
        .iter()
        .map(|f| name_of(f))
        .filter(|n| n.ends_with(".sql"))
        .collect();
    if names.iter().any(|n| n.starts_with('V') && n.contains("__")) {
        return Framework::Flyway;
    }
    let versioned = |n: &String| {
        n.split_once('_')
            .is_some_and(|(v, _)| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
    };
    if names.iter().any(|n| n.ends_with(".up.sql") && versioned(n)) {
        return Framework::GolangMigrate;
    }
    if !names.is_empty() && names.iter().all(versioned) {
        return Framework::Sqlx;
    }
    Framework::Plain
}

fn diesel_opts_out(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("metadata.toml")).is_ok_and(|s| {
        s.lines().any(|l| {
            l.replace(' ', "")
                .eq_ignore_ascii_case("run_in_transaction=false")
        })
    })
}

fn flyway_opts_out(file: &Path) -> bool {
    let mut conf = file.as_os_str().to_owned();
    conf.push(".conf");
    std::fs::read_to_string(PathBuf::from(conf)).is_ok_and(|s| {
        s.lines().any(|l| {
            l.replace(' ', "")
                .eq_ignore_ascii_case("executeInTransaction=false")
        })
    })
}

fn sqlx_opts_out(file: &Path) -> bool {
    std::fs::read_to_string(file).is_ok_and(|s| {
        s.lines()
            .next()
            .is_some_and(|l| l.trim() == "-- no-transaction")
    })
}

/// Compare with runs of digits compared as numbers, so `V2` sorts before `V10` and `1.10` after `1.9`.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, Some(_)) => return std::cmp::Ordering::Less,
            (Some(_), None) => return std::cmp::Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let da = a.iter().take_while(|c| c.is_ascii_digit()).count();
                let db = b.iter().take_while(|c| c.is_ascii_digit()).count();
                let na = std::str::from_utf8(&a[..da])
                    .unwrap_or("0")
                    .trim_start_matches('0');
                let nb = std::str::from_utf8(&b[..db])
                    .unwrap_or("0")
                    .trim_start_matches('0');
                let order = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
                if order != std::cmp::Ordering::Equal {
                    return order;
                }
                a = &a[da..];
                b = &b[db..];
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(y);
                }
                a = &a[1..];
                b = &b[1..];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, rel: &str, text: &str) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn detects_diesel_and_its_transaction_opt_out() {
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), "2024-01-02-000000_b/up.sql", "select 1;");
        write(
            tmp.path(),
            "2024-01-02-000000_b/metadata.toml",
            "run_in_transaction = false\n",
        );
        write(tmp.path(), "2024-01-01-000000_a/up.sql", "select 1;");
        write(tmp.path(), "2024-01-01-000000_a/down.sql", "select 1;");
        let set = discover(tmp.path(), None).unwrap();
        assert_eq!(set.framework, Framework::Diesel);
        let ids: Vec<&str> = set.migrations.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, vec!["2024-01-01-000000_a", "2024-01-02-000000_b"]);
        assert!(set.migrations[0].down.is_some());
        assert_eq!(set.migrations[0].transaction, TransactionMode::Wrapped);
        assert_eq!(set.migrations[1].transaction, TransactionMode::None);
    }

    #[test]
    fn detects_prisma_flyway_sqlx_golang_migrate_and_plain() {
        let cases: &[(&[(&str, &str)], Framework)] = &[
            (
                &[("20230101_init/migration.sql", "select 1;")],
                Framework::Prisma,
            ),
            (
                &[
                    ("V1__init.sql", "select 1;"),
                    ("V10__more.sql", "select 1;"),
                    ("V2__next.sql", "select 1;"),
                ],
                Framework::Flyway,
            ),
            (
                &[("20230101_init.sql", "-- no-transaction\nselect 1;")],
                Framework::Sqlx,
            ),
            (
                &[
                    ("1_init.up.sql", "select 1;"),
                    ("1_init.down.sql", "select 1;"),
                ],
                Framework::GolangMigrate,
            ),
            (
                &[("schema.sql", "select 1;"), ("seed.sql", "select 1;")],
                Framework::Plain,
            ),
        ];
        for (files, expected) in cases {
            let tmp = tempfile::tempdir().unwrap();
            for (rel, text) in *files {
                write(tmp.path(), rel, text);
            }
            let set = discover(tmp.path(), None).unwrap();
            assert_eq!(set.framework, *expected, "{files:?}");
            if *expected == Framework::Flyway {
                let ids: Vec<&str> = set.migrations.iter().map(|m| m.id.as_str()).collect();
                assert_eq!(ids, vec!["1", "2", "10"]);
            }
            if *expected == Framework::Sqlx {
                assert_eq!(set.migrations[0].transaction, TransactionMode::None);
            }
            if *expected == Framework::GolangMigrate {
                assert_eq!(set.migrations.len(), 1);
                assert!(set.migrations[0].down.is_some());
            }
        }
    }

    #[test]
    fn an_empty_folder_is_a_clear_error() {
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), "README.md", "nothing here");
        let err = discover(tmp.path(), None).unwrap_err();
        assert!(err.to_string().contains("no SQL migrations found"), "{err}");
    }

    #[test]
    fn natural_order_compares_numbers_by_value() {
        assert!(natural_cmp("V2", "V10").is_lt());
        assert!(natural_cmp("1.9", "1.10").is_lt());
        assert!(natural_cmp("2020_a", "2020_b").is_lt());
    }
}
