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
    /// goose: `<version>_<name>.sql` holding `-- +goose Up` and `-- +goose Down` sections; a
    /// transaction per migration unless the file says `-- +goose NO TRANSACTION`.
    Goose,
    /// dbmate: `<version>_<name>.sql` holding `-- migrate:up` and `-- migrate:down` sections; a
    /// transaction per migration unless the up marker says `transaction:false`.
    Dbmate,
    /// Atlas versioned migrations: `<version>_<name>.sql` beside an `atlas.sum`; a transaction per
    /// file unless its header says `-- atlas:txmode none`.
    Atlas,
    /// Any other folder of `.sql` files, applied in lexical order with no transaction added.
    Plain,
}

impl Framework {
    pub const ALL: [(&'static str, Framework); 9] = [
        ("diesel", Framework::Diesel),
        ("prisma", Framework::Prisma),
        ("flyway", Framework::Flyway),
        ("sqlx", Framework::Sqlx),
        ("golang-migrate", Framework::GolangMigrate),
        ("goose", Framework::Goose),
        ("dbmate", Framework::Dbmate),
        ("atlas", Framework::Atlas),
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

/// A file of a migration and the part of it that runs in one direction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    pub path: PathBuf,
    pub part: Part,
}

/// Which lines of a file belong to a script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Whole,
    /// The lines after an up marker of goose or dbmate, up to the next marker.
    Up(Framework),
    /// The lines after a down marker.
    Down(Framework),
}

impl Script {
    pub fn whole(path: PathBuf) -> Script {
        Script {
            path,
            part: Part::Whole,
        }
    }

    /// `text` (the file's content) with every line outside this script's part blanked: spaces
    /// replace its characters and line ends stay, so positions are those of the file. A whole
    /// file that turns out to hold goose or dbmate sections (one named on its own) keeps its
    /// up section.
    pub fn select(&self, text: String) -> String {
        let (framework, up) = match self.part {
            Part::Whole => match text.lines().find_map(up_marker_framework) {
                Some(framework) => (framework, true),
                None => return text,
            },
            Part::Up(framework) => (framework, true),
            Part::Down(framework) => (framework, false),
        };
        let mut bytes = text.into_bytes();
        let mut keep = false;
        let mut start = 0;
        while start < bytes.len() {
            let end = bytes[start..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |i| start + i + 1);
            let marker = std::str::from_utf8(&bytes[start..end])
                .ok()
                .and_then(|line| section_marker(framework, line));
            if let Some(marker) = marker {
                keep = marker.up == up;
            } else if !keep {
                for b in &mut bytes[start..end] {
                    if *b != b'\n' && *b != b'\r' {
                        *b = b' ';
                    }
                }
            }
            start = end;
        }
        // Whole lines were replaced, never part of a character.
        String::from_utf8(bytes).expect("blanking whole lines keeps UTF-8 valid")
    }
}

/// A line that opens a section of a two-way migration file.
struct Marker {
    up: bool,
    /// `-- migrate:up transaction:false`.
    no_transaction: bool,
}

/// The command of a `-- +goose ...` line (`Up`, `NO TRANSACTION`).
fn goose_command(line: &str) -> Option<&str> {
    Some(
        line.trim()
            .strip_prefix("--")?
            .trim_start()
            .strip_prefix("+goose")?
            .trim(),
    )
}

fn section_marker(framework: Framework, line: &str) -> Option<Marker> {
    match framework {
        Framework::Goose => {
            let command = goose_command(line)?;
            let up = if command.eq_ignore_ascii_case("up") {
                true
            } else if command.eq_ignore_ascii_case("down") {
                false
            } else {
                return None;
            };
            Some(Marker {
                up,
                no_transaction: false,
            })
        }
        Framework::Dbmate => {
            let mut words = line.trim().strip_prefix("--")?.split_whitespace();
            let up = match words.next()? {
                "migrate:up" => true,
                "migrate:down" => false,
                _ => return None,
            };
            Some(Marker {
                up,
                no_transaction: words.any(|w| w == "transaction:false"),
            })
        }
        _ => None,
    }
}

/// Whether a goose or dbmate file asks to run outside a transaction.
fn sections_opt_out(framework: Framework, text: &str) -> bool {
    text.lines().any(|line| match framework {
        Framework::Goose => goose_command(line)
            .is_some_and(|command| command.eq_ignore_ascii_case("no transaction")),
        _ => section_marker(framework, line).is_some_and(|m| m.up && m.no_transaction),
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// The version or folder name that orders it.
    pub id: String,
    pub up: Script,
    pub down: Option<Script>,
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
        "{path}: no SQL migrations found (looked for diesel/Prisma folders, Flyway, sqlx, golang-migrate, goose, dbmate and Atlas files, and plain .sql files{})",
        if looked_in.is_empty() { String::new() } else { format!(", here and in {}", looked_in.join(", ")) }
    )]
    Empty {
        path: PathBuf,
        /// The conventional subfolders of a project root that were tried too.
        looked_in: Vec<String>,
    },
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> DiscoverError + '_ {
    move |source| DiscoverError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Where projects keep their migrations, relative to the project's root, most specific first.
const PROJECT_FOLDERS: [&str; 11] = [
    "prisma/migrations",
    "db/migrations",
    "db/migrate",
    "database/migrations",
    "migrations",
    "migrate",
    "src/migrations",
    "sql/migrations",
    "sql",
    "schema",
    "db",
];

/// Find the migrations in `dir`; when `dir` holds none itself, it may be a project's root, and
/// the conventional folders under it are tried in turn (the set's `root` says which one).
pub fn discover_in_project(
    dir: &Path,
    framework: Option<Framework>,
) -> Result<MigrationSet, DiscoverError> {
    match discover(dir, framework) {
        Err(DiscoverError::Empty { .. }) => {
            for folder in PROJECT_FOLDERS {
                let candidate = dir.join(folder);
                if candidate.is_dir()
                    && let Ok(set) = discover(&candidate, framework)
                {
                    return Ok(set);
                }
            }
            Err(DiscoverError::Empty {
                path: dir.to_owned(),
                looked_in: PROJECT_FOLDERS.iter().map(|f| format!("{f}/")).collect(),
            })
        }
        found => found,
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
                    up: Script::whole(d.join(file)),
                    down: Some(d.join("down.sql"))
                        .filter(|p| p.is_file())
                        .map(Script::whole),
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
                    up: Script::whole(f.clone()),
                    down: None,
                    transaction: if flyway_opts_out(f) {
                        TransactionMode::None
                    } else {
                        TransactionMode::Wrapped
                    },
                })
            })
            .collect(),
        Framework::Sqlx | Framework::GolangMigrate | Framework::Atlas => files
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
                    Framework::Atlas if atlas_opts_out(f) => TransactionMode::None,
                    Framework::Sqlx if sqlx_opts_out(f) => TransactionMode::None,
                    _ => TransactionMode::Wrapped,
                };
                Some(Migration {
                    id: version,
                    up: Script::whole(f.clone()),
                    down: (name.ends_with(".up.sql") && down.is_file())
                        .then(|| Script::whole(down)),
                    transaction,
                })
            })
            .collect(),
        Framework::Goose | Framework::Dbmate => files
            .iter()
            .filter_map(|f| {
                let name = name_of(f);
                if !name.ends_with(".sql") {
                    return None;
                }
                let version = name.split_once('_')?.0.to_owned();
                // An unreadable file is still listed: reading it later names the problem.
                let text = std::fs::read_to_string(f).unwrap_or_default();
                let has_down = text
                    .lines()
                    .any(|line| section_marker(framework, line).is_some_and(|m| !m.up));
                Some(Migration {
                    id: version,
                    up: Script {
                        path: f.clone(),
                        part: Part::Up(framework),
                    },
                    down: has_down.then(|| Script {
                        path: f.clone(),
                        part: Part::Down(framework),
                    }),
                    transaction: if sections_opt_out(framework, &text) {
                        TransactionMode::None
                    } else {
                        TransactionMode::Wrapped
                    },
                })
            })
            .collect(),
        Framework::Plain => {
            let plain = |f: &PathBuf| {
                let name = name_of(f);
                name.ends_with(".sql") && !name.ends_with(".down.sql")
            };
            let mut migrations: Vec<Migration> = files
                .iter()
                .filter(|f| plain(f))
                .map(|f| Migration {
                    id: name_of(f),
                    up: Script::whole(f.clone()),
                    down: None,
                    transaction: TransactionMode::None,
                })
                .collect();
            // Versioned folders (`v1.2/`, `1.10.0/`) holding the scripts of each release: the
            // folder's version orders them, then the file name.
            for folder in dirs.iter().filter(|d| is_version(&name_of(d))) {
                let mut inside = Vec::new();
                for entry in std::fs::read_dir(folder).map_err(io_err(folder))? {
                    let path = entry.map_err(io_err(folder))?.path();
                    if path.is_file() && plain(&path) {
                        inside.push(path);
                    }
                }
                migrations.extend(inside.into_iter().map(|f| Migration {
                    id: format!("{}/{}", name_of(folder), name_of(&f)),
                    up: Script::whole(f),
                    down: None,
                    transaction: TransactionMode::None,
                }));
            }
            migrations
        }
    };
    migrations.sort_by(|a, b| natural_cmp(&a.id, &b.id).then_with(|| a.up.path.cmp(&b.up.path)));
    if migrations.is_empty() {
        return Err(DiscoverError::Empty {
            path: dir.to_owned(),
            looked_in: Vec::new(),
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
    if let Some(framework) = two_way_markers(files, name_of) {
        return framework;
    }
    if files.iter().any(|f| name_of(f) == "atlas.sum") {
        return Framework::Atlas;
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

/// A folder name that is a release version: `v1.2`, `1.10.0`, `V3`.
fn is_version(name: &str) -> bool {
    let digits = name.strip_prefix(['v', 'V']).unwrap_or(name);
    !digits.is_empty()
        && digits
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
}

/// goose or dbmate, when one of the first few `.sql` files (in name order) has an up marker.
fn two_way_markers(files: &[PathBuf], name_of: &dyn Fn(&Path) -> String) -> Option<Framework> {
    let mut sql: Vec<&PathBuf> = files
        .iter()
        .filter(|f| name_of(f).ends_with(".sql"))
        .collect();
    sql.sort();
    sql.iter().take(5).find_map(|f| {
        let text = std::fs::read_to_string(f).ok()?;
        text.lines().find_map(up_marker_framework)
    })
}

/// The framework whose up marker `line` is.
fn up_marker_framework(line: &str) -> Option<Framework> {
    [Framework::Goose, Framework::Dbmate]
        .into_iter()
        .find(|&framework| section_marker(framework, line).is_some_and(|m| m.up))
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

/// `-- atlas:txmode none` among the directives that open an Atlas migration file.
fn atlas_opts_out(file: &Path) -> bool {
    std::fs::read_to_string(file).is_ok_and(|s| {
        s.lines()
            .take_while(|l| l.trim_start().starts_with("--"))
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["--", "atlas:txmode", "none"])
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
    fn goose_files_run_their_up_section_in_version_order() {
        let tmp = tempfile::tempdir().unwrap();
        let first = "-- header comment\n-- +goose Up\nCREATE TABLE a (id int);\n\n-- +goose Down\nDROP TABLE a;\n";
        write(tmp.path(), "00002_a.sql", first);
        write(
            tmp.path(),
            "00010_b.sql",
            "-- +goose NO TRANSACTION\n-- +goose up\nCREATE INDEX CONCURRENTLY i ON a (id);\n",
        );
        write(
            tmp.path(),
            "00009_c.sql",
            "-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n-- +goose StatementEnd\n",
        );
        let set = discover(tmp.path(), None).unwrap();
        assert_eq!(set.framework, Framework::Goose);
        let ids: Vec<&str> = set.migrations.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, vec!["00002", "00009", "00010"]);
        let a = &set.migrations[0];
        assert_eq!(a.transaction, TransactionMode::Wrapped);
        let up = a.up.select(first.to_string());
        assert_eq!(up.len(), first.len(), "positions stay those of the file");
        assert!(
            up.contains("CREATE TABLE a") && !up.contains("DROP"),
            "{up:?}"
        );
        assert_eq!(up.lines().nth(2), Some("CREATE TABLE a (id int);"));
        let down = a.down.as_ref().unwrap().select(first.to_string());
        assert!(
            down.contains("DROP TABLE a;") && !down.contains("CREATE"),
            "{down:?}"
        );
        assert_eq!(set.migrations[2].transaction, TransactionMode::None);
        assert!(set.migrations[2].down.is_none());
        let c = set.migrations[1]
            .up
            .select(std::fs::read_to_string(&set.migrations[1].up.path).unwrap());
        assert!(
            c.contains("SELECT 1;"),
            "StatementBegin/End are not section markers: {c:?}"
        );
    }

    #[test]
    fn dbmate_files_run_their_up_section_with_its_transaction_option() {
        let tmp = tempfile::tempdir().unwrap();
        let text = "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (x);\n-- migrate:down\nDROP INDEX i;\n";
        write(tmp.path(), "db/migrations/20240102000000_index.sql", text);
        write(
            tmp.path(),
            "db/migrations/20240101000000_table.sql",
            "-- migrate:up\nCREATE TABLE t (x int);\n\n-- migrate:down\nDROP TABLE t;\n",
        );
        let set = discover(&tmp.path().join("db/migrations"), None).unwrap();
        assert_eq!(set.framework, Framework::Dbmate);
        assert_eq!(set.migrations[0].transaction, TransactionMode::Wrapped);
        assert_eq!(set.migrations[1].transaction, TransactionMode::None);
        let up = set.migrations[1].up.select(text.to_string());
        assert!(
            up.contains("CONCURRENTLY") && !up.contains("DROP INDEX"),
            "{up:?}"
        );
    }

    #[test]
    fn detects_atlas_and_its_transaction_directive() {
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), "atlas.sum", "h1:abc=\n");
        write(
            tmp.path(),
            "20240102000000_index.sql",
            "-- atlas:txmode none\n\nCREATE INDEX CONCURRENTLY i ON t (x);\n",
        );
        write(
            tmp.path(),
            "20240101000000_init.sql",
            "CREATE TABLE t (x int);\n",
        );
        let set = discover(tmp.path(), None).unwrap();
        assert_eq!(set.framework, Framework::Atlas);
        assert_eq!(set.migrations[0].transaction, TransactionMode::Wrapped);
        assert_eq!(set.migrations[1].transaction, TransactionMode::None);
    }

    #[test]
    fn versioned_folders_replay_in_version_order() {
        let tmp = tempfile::tempdir().unwrap();
        for rel in [
            "v1.10/b.sql",
            "v1.9/a.sql",
            "v1.9/b.sql",
            "v1.9/notes.md",
            "v2.0.0/a.sql",
        ] {
            write(tmp.path(), rel, "select 1;");
        }
        write(tmp.path(), "tools/helper.sql", "select 1;");
        let set = discover(tmp.path(), None).unwrap();
        let ids: Vec<&str> = set.migrations.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(
            ids,
            vec!["v1.9/a.sql", "v1.9/b.sql", "v1.10/b.sql", "v2.0.0/a.sql"]
        );
        assert!(
            is_version("V3") && !is_version("v") && !is_version("1..2") && !is_version("tools")
        );
    }

    #[test]
    fn a_project_root_finds_its_migration_folder() {
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), "README.md", "a project");
        write(
            tmp.path(),
            "db/migrations/20240101000000_init.sql",
            "-- migrate:up\nselect 1;\n",
        );
        let set = discover_in_project(tmp.path(), None).unwrap();
        assert_eq!(set.root, tmp.path().join("db/migrations"));
        assert_eq!(set.framework, Framework::Dbmate);
        let empty = tempfile::tempdir().unwrap();
        let err = discover_in_project(empty.path(), None)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("prisma/migrations/") && err.contains("db/migrate/"),
            "{err}"
        );
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
