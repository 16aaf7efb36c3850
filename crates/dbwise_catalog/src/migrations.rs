//! Discovery of migration sets: which files, in which order, and whether the framework runs
//! each one inside a transaction.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framework {
    /// `<timestamp>_<name>/up.sql` (and `down.sql`); each migration in a transaction unless its
    /// `metadata.toml` says `run_in_transaction = false`.
    Diesel,
    /// Prisma Migrate: `<timestamp>_<name>/migration.sql`, the file sent as one script.
    Prisma,
    /// Flyway: `V<version>__<description>.sql`, then the repeatable `R__<description>.sql`; a
    /// transaction per migration unless the script's `.conf` file says
    /// `executeInTransaction=false` or the script builds or drops an index `CONCURRENTLY`.
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
    /// sql-migrate: `<version>-<name>.sql` holding `-- +migrate Up` and `-- +migrate Down`
    /// sections; a transaction per migration unless the up marker says `notransaction`.
    SqlMigrate,
    /// tern: `<version>_<name>.sql`, the up part above a `---- create above / drop below ----`
    /// line and the down part below it; a transaction per migration unless the file says
    /// `---- tern: disable-tx ----`.
    Tern,
    /// Atlas versioned migrations: `<version>_<name>.sql` beside an `atlas.sum`; a transaction per
    /// file unless its header says `-- atlas:txmode none`.
    Atlas,
    /// drizzle-kit: `<idx>_<tag>.sql` in the order of `meta/_journal.json`, statements separated
    /// by `--> statement-breakpoint` comments; the migrator wraps the pending files in a
    /// transaction.
    Drizzle,
    /// Sqitch: `deploy/<change>.sql` in the order of `sqitch.plan`, `revert/<change>.sql` its
    /// down script; scripts hold their own BEGIN and COMMIT, and nothing is added.
    Sqitch,
    /// Liquibase formatted SQL: files opening with `--liquibase formatted sql`, each
    /// `--changeset author:id` its own migration in a transaction unless it says
    /// `runInTransaction:false`; `--rollback` lines are comments and never run.
    Liquibase,
    /// PostgreSQL extension scripts: `<name>--<version>.sql` installs a version and
    /// `<name>--<from>--<to>.sql` updates one, each run in the transaction of its `CREATE` or
    /// `ALTER EXTENSION`; replayed as the oldest install followed by the updates from it.
    Extension,
    /// Any other folder of `.sql` files, applied in lexical order with no transaction added.
    Plain,
}

impl Framework {
    pub const ALL: [(&'static str, Framework); 15] = [
        ("diesel", Framework::Diesel),
        ("prisma", Framework::Prisma),
        ("flyway", Framework::Flyway),
        ("sqlx", Framework::Sqlx),
        ("golang-migrate", Framework::GolangMigrate),
        ("goose", Framework::Goose),
        ("dbmate", Framework::Dbmate),
        ("sql-migrate", Framework::SqlMigrate),
        ("tern", Framework::Tern),
        ("atlas", Framework::Atlas),
        ("drizzle", Framework::Drizzle),
        ("liquibase", Framework::Liquibase),
        ("sqitch", Framework::Sqitch),
        ("extension", Framework::Extension),
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
    /// Lines `first..end` (0-based, end excluded): one Liquibase changeset.
    Lines {
        first: usize,
        end: usize,
    },
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
            Part::Whole => match text.lines().find_map(marker_framework) {
                Some(framework) => (framework, true),
                None => return text,
            },
            Part::Up(framework) => (framework, true),
            Part::Down(framework) => (framework, false),
            Part::Lines { first, end } => {
                return blank_lines(text, |number, _| (first..end).contains(&number));
            }
        };
        // A tern file opens in its up part; the other layouts' files open with a marker.
        let mut keep = up && framework == Framework::Tern;
        blank_lines(text, |_, line| match section_marker(framework, line) {
            Some(marker) => {
                keep = marker.up == up;
                true
            }
            None => keep,
        })
    }
}

/// `text` with the characters of every line that `keep` (given the 0-based line number and the
/// line) refuses replaced by spaces; line ends stay, so positions are those of the file.
fn blank_lines(text: String, mut keep: impl FnMut(usize, &str) -> bool) -> String {
    let mut bytes = text.into_bytes();
    let mut start = 0;
    let mut number = 0;
    while start < bytes.len() {
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| start + i + 1);
        let line = String::from_utf8_lossy(&bytes[start..end]);
        if !keep(number, &line) {
            for b in &mut bytes[start..end] {
                if *b != b'\n' && *b != b'\r' {
                    *b = b' ';
                }
            }
        }
        start = end;
        number += 1;
    }
    // Whole lines were replaced, never part of a character.
    String::from_utf8(bytes).expect("blanking whole lines keeps UTF-8 valid")
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
        Framework::Tern => {
            (line.trim() == "---- create above / drop below ----").then_some(Marker {
                up: false,
                no_transaction: false,
            })
        }
        Framework::SqlMigrate => {
            let mut words = line
                .trim()
                .strip_prefix("--")?
                .trim_start()
                .strip_prefix("+migrate")?
                .split_whitespace();
            let up = match words.next()? {
                w if w.eq_ignore_ascii_case("up") => true,
                w if w.eq_ignore_ascii_case("down") => false,
                _ => return None,
            };
            Some(Marker {
                up,
                no_transaction: words.any(|w| w == "notransaction"),
            })
        }
        _ => None,
    }
}

/// Whether a goose, dbmate or sql-migrate file asks to run outside a transaction.
fn sections_opt_out(framework: Framework, text: &str) -> bool {
    text.lines().any(|line| match framework {
        Framework::Goose => goose_command(line)
            .is_some_and(|command| command.eq_ignore_ascii_case("no transaction")),
        Framework::Tern => line.trim() == "---- tern: disable-tx ----",
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
    /// `.sql` files of the folder that are no migration of its layout (a stray script, a file
    /// named against the layout's pattern): not replayed, and said so.
    pub skipped: Vec<PathBuf>,
    /// `.sql` files for another database engine, left out: named for it (`1_init.mysql.up.sql`
    /// beside `1_init.postgres.up.sql`, as gobuffalo/pop lays them out), or written for every
    /// engine (`1_init.up.sql`) where the version has a PostgreSQL file, which pop runs instead.
    pub other_engines: usize,
    /// goose migrations written in Go (`20240101000000_backfill.go`): code dbwise cannot
    /// replay, so the schema changes they make are unknown to it.
    pub code_migrations: Vec<PathBuf>,
    /// Other migration folders found under the project root given, passed over because each
    /// holds a fifth or less of this one's migrations (a vendored library's, a tool's).
    pub passed_over: Vec<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    /// The cause is in the message and not chained again (an error chain would print it twice).
    #[error("{path}: cannot read the folder: {cause}")]
    Io {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("{path}: {message}; fix the file or name another layout with --framework")]
    Journal { path: PathBuf, message: String },
    #[error(
        "{path}: no SQL migrations found (looked for diesel/Prisma folders, Flyway, sqlx, golang-migrate, goose, dbmate, sql-migrate, tern, Atlas, drizzle and Liquibase files, Sqitch plans, extension scripts, and plain .sql files{}){}",
        if looked_in.is_empty() { String::new() } else { format!(", here, in {} and in folders named migrations, migration or migrate below", looked_in.join(", ")) },
        if *fizz == 0 { String::new() } else {
            format!("; its {fizz} .fizz files are gobuffalo/pop's fizz language, not SQL: lint a schema dump instead (pg_dump --schema-only)")
        }
    )]
    Empty {
        path: PathBuf,
        /// The conventional subfolders of a project root that were tried too.
        looked_in: Vec<String>,
        /// `.fizz` migrations in the folder, which dbwise cannot read.
        fizz: usize,
    },
    #[error(
        "{path}: holds several migration folders, {}; name the one to lint",
        folders.join(", ")
    )]
    Several {
        path: PathBuf,
        /// Each folder, relative to the project's root, with its count and layout.
        folders: Vec<String>,
    },
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> DiscoverError + '_ {
    move |cause| DiscoverError::Io {
        path: path.to_owned(),
        cause,
    }
}

/// Where projects keep their migrations, relative to the project's root, most specific first.
const PROJECT_FOLDERS: [&str; 14] = [
    "prisma/migrations",
    "src/main/resources/db/migration",
    "src/main/resources/db/changelog",
    "db/migrations",
    "db/migrate",
    "database/migrations",
    "migrations",
    "migrate",
    "drizzle",
    "src/migrations",
    "sql/migrations",
    "sql",
    "schema",
    "db",
];

/// Names of the folders that hold a project's migrations wherever they sit in its tree.
const MIGRATION_FOLDER_NAMES: [&str; 3] = ["migrations", "migration", "migrate"];

/// Folders the search for migration folders does not enter: dependencies, build output, test
/// fixtures and examples, whose migrations are not the project's.
const NOT_SEARCHED: [&str; 19] = [
    "node_modules",
    "vendor",
    "target",
    "dist",
    "build",
    "third_party",
    "test",
    "tests",
    "testdata",
    "fixtures",
    "stub",
    "stubs",
    "__tests__",
    "examples",
    "example",
    "demo",
    "demos",
    "sample",
    "samples",
];

/// How deep under a project's root, and through how many files and folders, migration folders
/// are searched: deep enough for `server/cmd/tool/migrate/migrations` and for the Flyway files
/// of a module's `manager/src/main/resources/org/app/manager/setup/database/`, bounded on a
/// huge tree.
const SEARCH_DEPTH: usize = 10;
const SEARCH_ENTRIES: usize = 100_000;

/// How many times more migrations than every other folder found make one folder the project's
/// history.
const DWARFS: usize = 5;

/// Find the migrations in `dir`; when `dir` holds none itself, it may be a project's root: the
/// conventional folders under it are tried in turn, then folders named `migrations`,
/// `migration` or `migrate` anywhere in its tree (the set's `root` says which one). Of several
/// such folders, those named for another engine give way to those named for PostgreSQL, and
/// one with [`DWARFS`] times the migrations of every other is taken (the others are in
/// `passed_over`); otherwise several are an error that names them, since they are separate
/// histories.
pub fn discover_in_project(
    dir: &Path,
    framework: Option<Framework>,
) -> Result<MigrationSet, DiscoverError> {
    match discover(dir, framework) {
        Err(DiscoverError::Empty { fizz, .. }) => {
            for folder in PROJECT_FOLDERS {
                let candidate = dir.join(folder);
                if candidate.is_dir()
                    && let Ok(set) = discover(&candidate, framework)
                    && !only_dumps(&set)
                {
                    return Ok(set);
                }
            }
            let mut found: Vec<MigrationSet> = migration_folders(dir)
                .into_iter()
                .filter_map(|folder| discover(&folder, framework).ok())
                .collect();
            // A migration folder inside another (`tools/migrate/migrations`) is the history;
            // the outer one's own files are the tool's.
            let roots: Vec<PathBuf> = found.iter().map(|set| set.root.clone()).collect();
            found.retain(|set| {
                !roots
                    .iter()
                    .any(|other| other != &set.root && other.starts_with(&set.root))
            });
            // Histories kept per engine (`crates/app-server-postgres/migrations` beside
            // `crates/app-server-sqlite/migrations`): the one folder named for PostgreSQL, when
            // another is named for another engine (a `pg_queue` history beside a `node` one is
            // not a choice of engine).
            let engines: Vec<Option<bool>> = found
                .iter()
                .map(|set| path_engine(set.root.strip_prefix(dir).unwrap_or(&set.root)))
                .collect();
            if engines.contains(&Some(true)) && engines.contains(&Some(false)) {
                let mut engine = engines.iter();
                found.retain(|_| engine.next() == Some(&Some(true)));
            }
            // One history that dwarfs the others is the project's; a small one beside it
            // belongs to a library or tool kept in the tree.
            found.sort_by_key(|set| std::cmp::Reverse(set.migrations.len()));
            if let [main, rest @ ..] = &found[..]
                && !rest.is_empty()
                && rest
                    .iter()
                    .all(|set| set.migrations.len() * DWARFS <= main.migrations.len())
            {
                let passed_over = found.drain(1..).map(|set| set.root).collect();
                let mut set = found.remove(0);
                set.passed_over = passed_over;
                return Ok(set);
            }
            match found.len() {
                1 => Ok(found.remove(0)),
                0 => Err(DiscoverError::Empty {
                    path: dir.to_owned(),
                    looked_in: PROJECT_FOLDERS.iter().map(|f| format!("{f}/")).collect(),
                    fizz,
                }),
                _ => Err(DiscoverError::Several {
                    path: dir.to_owned(),
                    folders: found
                        .iter()
                        .map(|set| {
                            let relative = set.root.strip_prefix(dir).unwrap_or(&set.root);
                            format!(
                                "{} ({} {} migrations)",
                                relative.display(),
                                set.migrations.len(),
                                set.framework.name()
                            )
                        })
                        .collect(),
                }),
            }
        }
        found => found,
    }
}

/// The database engine a folder's path names in one of its words: `Some(true)` for PostgreSQL
/// (`server-postgres`, `migrations/postgresql`), `Some(false)` for another (`server-sqlite`,
/// `jdbc-mysql`), `None` when it names none.
fn path_engine(path: &Path) -> Option<bool> {
    for component in path.components() {
        let text = component.as_os_str().to_string_lossy().to_lowercase();
        for word in text.split(|ch: char| !ch.is_ascii_alphanumeric()) {
            if POSTGRES_WORDS.contains(&word) {
                return Some(true);
            }
            if OTHER_ENGINES.contains(&word) {
                return Some(false);
            }
        }
    }
    None
}

/// A plain folder whose files are all schema dumps (`schema.sql`, `schema-16.sql`,
/// `structure.sql`): a snapshot a tool generates beside the real migrations, which are in a
/// folder below it, if anywhere.
fn only_dumps(set: &MigrationSet) -> bool {
    set.framework == Framework::Plain
        && set.migrations.iter().all(|m| {
            let id = m.id.to_lowercase();
            ["schema", "structure", "dump"]
                .iter()
                .any(|word| id.starts_with(word))
        })
}

/// The folders under `root` named like a migration folder, breadth first, and the ones inside
/// them; where one holds a folder for PostgreSQL beside other engines' (`migrations/postgres/`,
/// `migrations/sqlite/`) or a folder of SQL files beside code (`migrate/sql/`), that folder
/// instead. A folder of any name is one too when its files say so: it holds Flyway-named
/// files (`V2024_01__init.sql`, as under `src/main/resources/org/app/setup/database/`), or a
/// drizzle journal (`meta/_journal.json`, as in `apps/web/drizzle/`).
fn migration_folders(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    walk(root, SEARCH_DEPTH, SEARCH_ENTRIES, |entry| {
        let file_name = entry.file_name();
        let written = file_name.to_string_lossy();
        let name = written.to_lowercase();
        let path = entry.path();
        let named_by_files = match path.parent() {
            Some(parent) if flyway_name(&written) => Some(parent.to_owned()),
            Some(parent) if name == "_journal.json" && parent.ends_with("meta") => {
                parent.parent().map(Path::to_owned)
            }
            _ => None,
        };
        if let Some(folder) = named_by_files {
            if !found.contains(&folder) {
                found.push(folder);
            }
            return ControlFlow::Continue(());
        }
        // `migrations`, and `migrations_postgres` or `migration-pg` kept per engine.
        let first_word = name.split(['_', '-', '.']).next().unwrap_or_default();
        if MIGRATION_FOLDER_NAMES.contains(&first_word)
            && entry.file_type().is_ok_and(|t| t.is_dir())
        {
            let postgres = ["postgres", "postgresql", "pg", "sql"]
                .iter()
                .map(|engine| path.join(engine))
                .find(|p| p.is_dir());
            let folder = postgres.unwrap_or(path);
            // A folder of folders with no migrations of its own keeps its histories one level
            // down (`migrations/tenant/`, `migrations/multitenant/`).
            let mut candidates = vec![folder.clone()];
            if discover(&folder, None).is_err() {
                candidates.extend(
                    std::fs::read_dir(&folder)
                        .into_iter()
                        .flatten()
                        .flatten()
                        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                        .map(|e| e.path()),
                );
            }
            // A child may also be found by name one level further down.
            for candidate in candidates {
                if !found.contains(&candidate) {
                    found.push(candidate);
                }
            }
        }
        // A `migrate` tool's folder may hold the `migrations` folder itself: the walk goes on.
        ControlFlow::Continue(())
    });
    found
}

/// Visit the entries under `root` breadth first, `depth` levels deep, in no hidden folder and
/// in none of [`NOT_SEARCHED`] (dependencies, build output, tests), until `limit` entries have
/// been visited or `visit` breaks: a bounded search of a project tree dbwise did not write.
pub fn walk(
    root: &Path,
    depth: usize,
    limit: usize,
    mut visit: impl FnMut(&std::fs::DirEntry) -> ControlFlow<()>,
) {
    let mut level = vec![root.to_owned()];
    let mut visited = 0;
    for _ in 0..depth {
        let mut next = Vec::new();
        for dir in level {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().to_lowercase();
                if name.starts_with('.') {
                    continue;
                }
                visited += 1;
                if visited > limit || visit(&entry).is_break() {
                    return;
                }
                if entry.file_type().is_ok_and(|t| t.is_dir())
                    && !NOT_SEARCHED.contains(&name.as_str())
                {
                    next.push(entry.path());
                }
            }
        }
        level = next;
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
    // A folder per migration holding a file per database engine: the PostgreSQL files are the
    // migrations, read like files of the folder itself.
    if !files.iter().any(|f| name_of(f).ends_with(".sql")) {
        files.extend(engine_files(&dirs));
    }
    let framework = framework.unwrap_or_else(|| match detect(&dirs, &files, &name_of) {
        // sqlx names reversible migrations as golang-migrate does; a Rust project is sqlx's.
        Framework::GolangMigrate if project_language(dir) == Some("rust") => Framework::Sqlx,
        detected => detected,
    });
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
        // Flyway scans its locations recursively: a folder per release (`2.43/V2_43_1__x.sql`)
        // is one history, ordered by version.
        Framework::Flyway => files
            .iter()
            .cloned()
            .chain(dirs.iter().flat_map(|d| sql_files_below(d, 3)))
            .filter_map(|f| {
                let name = name_of(&f);
                // A repeatable migration (`R__views.sql`) keeps its prefix in its id: it runs
                // after every versioned one.
                let id = match name.strip_prefix("R__") {
                    Some(description) => format!("R__{}", description.trim_end_matches(".sql")),
                    None => name.strip_prefix('V')?.split_once("__")?.0.to_owned(),
                };
                name.ends_with(".sql").then(|| Migration {
                    id,
                    transaction: if flyway_opts_out(&f) || flyway_detects_concurrently(&f) {
                        TransactionMode::None
                    } else {
                        TransactionMode::Wrapped
                    },
                    up: Script::whole(f),
                    down: None,
                })
            })
            .collect(),
        Framework::Sqlx | Framework::GolangMigrate | Framework::Atlas => files
            .iter()
            .filter_map(|f| {
                let name = name_of(f);
                if !name.ends_with(".sql") || is_down(&name) || other_engine(&name) {
                    return None;
                }
                let version = leading_version(&name)?.to_owned();
                let down = up_twin_suffix(&name)
                    .map(|(stem, sep)| f.with_file_name(format!("{stem}{sep}down.sql")));
                let transaction = match framework {
                    // gobuffalo/pop runs `x.autocommit.up.sql` outside a transaction.
                    Framework::GolangMigrate if name.contains(".autocommit.") => {
                        TransactionMode::None
                    }
                    Framework::GolangMigrate => TransactionMode::ImplicitWhenMultiStatement,
                    Framework::Atlas if atlas_opts_out(f) => TransactionMode::None,
                    Framework::Sqlx if sqlx_opts_out(f) => TransactionMode::None,
                    _ => TransactionMode::Wrapped,
                };
                Some(Migration {
                    id: version,
                    up: Script::whole(f.clone()),
                    down: down.filter(|d| d.is_file()).map(Script::whole),
                    transaction,
                })
            })
            .collect(),
        Framework::Goose | Framework::Dbmate | Framework::SqlMigrate | Framework::Tern => files
            .iter()
            .filter_map(|f| {
                if !name_of(f).ends_with(".sql") {
                    return None;
                }
                let name = version_name(f, &name_of);
                let version = if matches!(framework, Framework::SqlMigrate | Framework::Tern) {
                    // sql-migrate orders by the number a name starts with (`20180805-x.sql`).
                    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
                    name[..digits].to_owned()
                } else {
                    name.split_once('_')?.0.to_owned()
                };
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
        Framework::Drizzle => drizzle_journal(dir)?
            .into_iter()
            .map(|tag| Migration {
                up: Script::whole(dir.join(format!("{tag}.sql"))),
                id: tag,
                down: None,
                transaction: TransactionMode::Wrapped,
            })
            .collect(),
        Framework::Extension => extension_path(&files, &name_of),
        Framework::Sqitch => sqitch_plan(dir)?
            .into_iter()
            .map(|change| {
                let revert = dir.join("revert").join(format!("{change}.sql"));
                Migration {
                    up: Script::whole(dir.join("deploy").join(format!("{change}.sql"))),
                    down: revert.is_file().then(|| Script::whole(revert)),
                    id: change,
                    transaction: TransactionMode::None,
                }
            })
            .collect(),
        Framework::Liquibase => files
            .iter()
            .filter(|f| name_of(f).ends_with(".sql"))
            .flat_map(|f| liquibase_changesets(f, &name_of(f)))
            .collect(),
        Framework::Plain => {
            let plain = |f: &PathBuf| {
                let name = name_of(f);
                name.ends_with(".sql") && !is_down(&name)
            };
            // Beside versioned folders, a file of no version (`LATEST.sql`) is the whole
            // schema for new installations, not a step of the history.
            let versioned = dirs.iter().any(|d| is_version(&name_of(d)));
            let mut migrations: Vec<Migration> = files
                .iter()
                .filter(|f| plain(f) && (!versioned || leading_version(&name_of(f)).is_some()))
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
    // pop runs a version's file for the database's own dialect (`x.postgres.up.sql`) instead
    // of the one for every dialect (`x.up.sql`, often written for MySQL) when both exist.
    let postgres_versions: std::collections::HashSet<String> = migrations
        .iter()
        .filter(|m| postgres_only(&name_of(&m.up.path)))
        .map(|m| m.id.clone())
        .collect();
    migrations.retain(|m| {
        !postgres_versions.contains(&m.id) || engine_word(&name_of(&m.up.path)).is_some()
    });
    // drizzle's journal, Sqitch's plan and an extension's update path are the order; Prisma
    // applies its folders in the order of their names as text (`20250625_x` after
    // `20250625093000_y`, whose digits run longer); everywhere else the version in the name is.
    if framework == Framework::Prisma {
        migrations.sort_by(|a, b| a.id.cmp(&b.id));
    } else if !matches!(
        framework,
        Framework::Drizzle | Framework::Extension | Framework::Sqitch
    ) {
        migrations.sort_by(|a, b| {
            natural_cmp(&version_key(&a.id), &version_key(&b.id))
                .then_with(|| a.up.path.cmp(&b.up.path))
        });
    }
    if framework == Framework::Flyway {
        // Flyway applies its repeatable migrations after the versioned ones, by description.
        migrations.sort_by(|a, b| {
            let repeatable = |m: &Migration| m.id.starts_with("R__").then(|| m.id.clone());
            repeatable(a).cmp(&repeatable(b))
        });
    }
    if migrations.is_empty() {
        return Err(DiscoverError::Empty {
            path: dir.to_owned(),
            looked_in: Vec::new(),
            fizz: files
                .iter()
                .filter(|f| name_of(f).ends_with(".fizz"))
                .count(),
        });
    }
    let used: std::collections::HashSet<&Path> = migrations
        .iter()
        .flat_map(|m| std::iter::once(&m.up).chain(&m.down))
        .map(|script| script.path.as_path())
        .collect();
    let (other, mut skipped): (Vec<PathBuf>, Vec<PathBuf>) = files
        .iter()
        .filter(|f| {
            let name = name_of(f);
            name.ends_with(".sql")
                && !is_down(&name)
                && !used.contains(f.as_path())
                // Later install scripts and shortcuts between versions are left out by design.
                && (framework != Framework::Extension || extension_script(&name).is_none())
        })
        .cloned()
        .partition(|f| {
            let name = name_of(f);
            other_engine(&name)
                || leading_version(&name).is_some_and(|v| postgres_versions.contains(v))
        });
    skipped.sort();
    let mut code_migrations: Vec<PathBuf> = files
        .iter()
        .filter(|f| {
            let name = name_of(f);
            framework == Framework::Goose
                && name.ends_with(".go")
                && !name.ends_with("_test.go")
                && leading_version(&name).is_some()
        })
        .cloned()
        .collect();
    code_migrations.sort();
    Ok(MigrationSet {
        root: dir.to_owned(),
        framework,
        migrations,
        skipped,
        other_engines: other.len(),
        code_migrations,
        passed_over: Vec::new(),
    })
}

fn detect(dirs: &[PathBuf], files: &[PathBuf], name_of: &dyn Fn(&Path) -> String) -> Framework {
    if files.iter().any(|f| name_of(f) == "sqitch.plan")
        && dirs.iter().any(|d| name_of(d) == "deploy")
    {
        return Framework::Sqitch;
    }
    if dirs
        .iter()
        .any(|d| name_of(d) == "meta" && d.join("_journal.json").is_file())
    {
        return Framework::Drizzle;
    }
    if files
        .iter()
        .any(|f| name_of(f).ends_with(".sql") && liquibase_header(f))
    {
        return Framework::Liquibase;
    }
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
    let flyway = |n: &str| flyway_name(n);
    if names.iter().any(|n| flyway(n))
        || dirs
            .iter()
            .filter(|d| is_version(&name_of(d)))
            .flat_map(|d| sql_files_below(d, 0))
            .any(|f| flyway(&name_of(&f)))
    {
        return Framework::Flyway;
    }
    let updated = names.iter().find_map(|n| match extension_script(n) {
        Some((extension, Some(_), _)) => Some(extension),
        _ => None,
    });
    // Every file an extension script, or the unversioned install script (`x.sql`) that the
    // extension's build copies to `x--<version>.sql`.
    if updated.is_some_and(|extension| {
        names
            .iter()
            .all(|n| extension_script(n).is_some() || n.strip_suffix(".sql") == Some(extension))
    }) {
        return Framework::Extension;
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

/// The id as its runner orders it: diesel reads the version before the first `_` with its dashes
/// removed, so `2017-09-23-182408_x` (20170923182408) comes after `20140924113530_y`, which
/// comparing the digit runs as written would reverse.
fn version_key(id: &str) -> std::borrow::Cow<'_, str> {
    let (version, rest) = id.split_once('_').unwrap_or((id, ""));
    if version.contains('-') && version.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        std::borrow::Cow::Owned(format!("{}_{rest}", version.replace('-', "")))
    } else {
        std::borrow::Cow::Borrowed(id)
    }
}

/// The language of the project the folder belongs to, from the nearest of its parent folders
/// (up to four levels) that holds a `Cargo.toml` ("rust") or a `go.mod` ("go").
fn project_language(dir: &Path) -> Option<&'static str> {
    dir.ancestors().skip(1).take(4).find_map(|d| {
        if d.join("Cargo.toml").is_file() {
            Some("rust")
        } else if d.join("go.mod").is_file() {
            Some("go")
        } else {
            None
        }
    })
}

/// The engine a file name says its SQL is for, lower-cased: the word before `.sql` after
/// dropping `.up` or `.down` and pop's `.autocommit`, as `mysql` in `1_init.mysql.up.sql`.
/// Any word is returned; the callers decide whether it names an engine.
fn engine_word(name: &str) -> Option<String> {
    let stem = name.strip_suffix(".sql").unwrap_or(name);
    let stem = stem
        .strip_suffix(".up")
        .or_else(|| stem.strip_suffix(".down"))
        .unwrap_or(stem);
    let stem = stem.strip_suffix(".autocommit").unwrap_or(stem);
    stem.rsplit_once('.')
        .map(|(_, engine)| engine.to_ascii_lowercase())
}

/// A file name written for PostgreSQL alone (`1_init.postgres.up.sql`; pop also accepts
/// `postgresql` and `pg`).
fn postgres_only(name: &str) -> bool {
    engine_word(name).is_some_and(|w| POSTGRES_WORDS.contains(&w.as_str()))
}

/// The words that name PostgreSQL in a file or folder name.
const POSTGRES_WORDS: [&str; 3] = ["postgres", "postgresql", "pg"];

/// The words that name another database engine in a file or folder name.
const OTHER_ENGINES: [&str; 10] = [
    "mysql",
    "mariadb",
    "sqlite",
    "sqlite3",
    "cockroach",
    "cockroachdb",
    "mssql",
    "sqlserver",
    "oracle",
    "clickhouse",
];

/// The parts of an extension script's name: (extension, the version it updates from, the
/// version it installs or updates to), as `pgstac--0.2.3--0.2.4.sql` or `pgstac--0.2.3.sql`.
fn extension_script(name: &str) -> Option<(&str, Option<&str>, &str)> {
    let mut parts = name.strip_suffix(".sql")?.split("--");
    let (extension, first) = (parts.next()?, parts.next()?);
    let second = parts.next();
    let valid = |p: &str| !p.is_empty() && !p.contains(char::is_whitespace);
    if parts.next().is_some() || !valid(extension) || !valid(first) || !second.is_none_or(valid) {
        return None;
    }
    Some(match second {
        Some(to) => (extension, Some(first), to),
        None => (extension, None, first),
    })
}

/// An extension's scripts in the order an installation lived through them: the install
/// script of the oldest version, then from each version the update to the nearest next one
/// (as a release-by-release upgrade ran them). Install scripts of later versions describe the
/// same objects again and are left out.
fn extension_path(files: &[PathBuf], name_of: &dyn Fn(&Path) -> String) -> Vec<Migration> {
    let scripts: Vec<(PathBuf, Option<String>, String)> = files
        .iter()
        .filter_map(|f| {
            let name = name_of(f);
            let (_, from, to) = extension_script(&name)?;
            Some((f.clone(), from.map(str::to_owned), to.to_owned()))
        })
        .collect();
    let migration = |(path, _, to): &(PathBuf, Option<String>, String)| Migration {
        id: to.clone(),
        up: Script::whole(path.clone()),
        down: None,
        transaction: TransactionMode::Wrapped,
    };
    let install = scripts
        .iter()
        .filter(|(_, from, _)| from.is_none())
        .min_by(|a, b| extension_version_cmp(&a.2, &b.2));
    let mut path: Vec<Migration> = install.into_iter().map(migration).collect();
    // Without a versioned install script (the install is `x.sql`, which the build names for
    // one version or another), the updates from the oldest version are the history: they are
    // what runs on databases that already have the extension.
    let Some(mut current) = install.map(|i| i.2.as_str()).or_else(|| {
        scripts
            .iter()
            .filter_map(|(_, from, _)| from.as_deref())
            .min_by(|a, b| extension_version_cmp(a, b))
    }) else {
        return Vec::new();
    };
    let mut seen = std::collections::HashSet::from([current]);
    while let Some(next) = scripts
        .iter()
        .filter(|(_, from, to)| from.as_deref() == Some(current) && !seen.contains(to.as_str()))
        .min_by(|a, b| extension_version_cmp(&a.2, &b.2))
    {
        path.push(migration(next));
        seen.insert(next.2.as_str());
        current = next.2.as_str();
    }
    path
}

/// Versions of an extension in release order; a version that is not numbered (`unreleased`,
/// `dev`) comes after every numbered one.
fn extension_version_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let numbered = |v: &str| v.starts_with(|c: char| c.is_ascii_digit());
    numbered(b)
        .cmp(&numbered(a))
        .then_with(|| natural_cmp(a, b))
}

/// The version a golang-migrate style name starts with: `0157` of `0157_add_x.up.sql`, and
/// of `0157.up.sql` with no name at all.
fn leading_version(name: &str) -> Option<&str> {
    name.split(['_', '.'])
        .next()
        .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
}

/// A file name that says its SQL is for another database engine, as in `1_init.mysql.up.sql`.
fn other_engine(name: &str) -> bool {
    engine_word(name).is_some_and(|w| OTHER_ENGINES.contains(&w.as_str()))
}

/// A down migration's file name: `x.down.sql`, or `x_down.sql` as some runners spell it.
fn is_down(name: &str) -> bool {
    name.ends_with(".down.sql") || name.ends_with("_down.sql") || name.ends_with(".rollback.sql")
}

/// The stem and separator of an up migration's file name (`x.up.sql`, `x_up.sql`), whose down
/// twin is `{stem}{separator}down.sql`.
fn up_twin_suffix(name: &str) -> Option<(&str, char)> {
    name.strip_suffix(".up.sql")
        .map(|stem| (stem, '.'))
        .or_else(|| name.strip_suffix("_up.sql").map(|stem| (stem, '_')))
}

/// The files under `dir` (unreadable folders skipped), down to `depth` folders below it.
fn sql_files_below(dir: &Path, depth: usize) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        if path.is_dir() {
            if depth > 0 {
                out.extend(sql_files_below(&path, depth - 1));
            }
        } else {
            out.push(path);
        }
    }
    out
}

/// The names of the file a folder per migration holds for PostgreSQL.
const POSTGRES_FILES: [&str; 2] = ["postgres.sql", "postgresql.sql"];

/// Files named for PostgreSQL in a folder per migration (`20190916104959_audit_event/postgres.sql`
/// beside `sqlite3.sql`, as gocryptotrader lays out its goose migrations).
fn engine_files(dirs: &[PathBuf]) -> Vec<PathBuf> {
    dirs.iter()
        .filter_map(|d| {
            POSTGRES_FILES
                .iter()
                .map(|name| d.join(name))
                .find(|f| f.is_file())
        })
        .collect()
}

/// The name a migration's version is read from: its file's, or for a file named for its engine
/// in a folder per migration, the folder's.
fn version_name(file: &Path, name_of: &dyn Fn(&Path) -> String) -> String {
    let name = name_of(file);
    match file.parent() {
        Some(folder) if POSTGRES_FILES.contains(&name.as_str()) => name_of(folder),
        _ => name,
    }
}

/// A Flyway versioned migration's file name: `V` and a version, `__`, a description, `.sql`.
fn flyway_name(name: &str) -> bool {
    name.strip_prefix('V')
        .and_then(|rest| rest.split_once("__"))
        .is_some_and(|(version, rest)| {
            version.starts_with(|c: char| c.is_ascii_digit()) && rest.ends_with(".sql")
        })
}

/// A folder name that is a release version: `v1.2`, `1.10.0`, `V3`.
fn is_version(name: &str) -> bool {
    let digits = name.strip_prefix(['v', 'V']).unwrap_or(name);
    !digits.is_empty()
        && digits
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
}

/// goose, dbmate, sql-migrate or tern, when one of the first few `.sql` files (in name order)
/// has its marker.
fn two_way_markers(files: &[PathBuf], name_of: &dyn Fn(&Path) -> String) -> Option<Framework> {
    let mut sql: Vec<&PathBuf> = files
        .iter()
        .filter(|f| name_of(f).ends_with(".sql"))
        .collect();
    sql.sort();
    sql.iter().take(5).find_map(|f| {
        let text = std::fs::read_to_string(f).ok()?;
        text.lines().find_map(marker_framework)
    })
}

/// The framework whose section marker `line` is: an up marker, or tern's one divider.
fn marker_framework(line: &str) -> Option<Framework> {
    // Every layout's marker is a comment line; most lines are not.
    if !line.trim_start().starts_with("--") {
        return None;
    }
    [
        Framework::Goose,
        Framework::Dbmate,
        Framework::SqlMigrate,
        Framework::Tern,
    ]
    .into_iter()
    .find(|&framework| {
        section_marker(framework, line).is_some_and(|m| m.up || framework == Framework::Tern)
    })
}

/// The migration tags of a drizzle folder in journal order.
fn drizzle_journal(dir: &Path) -> Result<Vec<String>, DiscoverError> {
    #[derive(serde::Deserialize)]
    struct Journal {
        entries: Vec<Entry>,
    }
    #[derive(serde::Deserialize)]
    struct Entry {
        idx: u64,
        tag: String,
    }
    let path = dir.join("meta").join("_journal.json");
    let text = std::fs::read_to_string(&path).map_err(io_err(&path))?;
    let mut journal: Journal = serde_json::from_str(&text).map_err(|e| DiscoverError::Journal {
        path: path.clone(),
        message: format!("not a drizzle journal ({e})"),
    })?;
    journal.entries.sort_by_key(|e| e.idx);
    journal
        .entries
        .into_iter()
        .map(|e| {
            // A tag names a file in this folder, never a path elsewhere.
            if e.tag.is_empty() || e.tag.contains(['/', '\\']) || e.tag.starts_with('.') {
                Err(DiscoverError::Journal {
                    path: path.clone(),
                    message: format!(
                        "entry {} has the tag {:?}, which is not a file name",
                        e.idx, e.tag
                    ),
                })
            } else {
                Ok(e.tag)
            }
        })
        .collect()
}

/// The changes of a Sqitch project in the order of its `sqitch.plan`: each change line starts
/// with the change's name; pragmas (`%`), tags (`@`), comments and blank lines are skipped. A
/// reworked change (named again later) is replayed once, at its first place, from its
/// current script.
fn sqitch_plan(dir: &Path) -> Result<Vec<String>, DiscoverError> {
    let path = dir.join("sqitch.plan");
    let text = std::fs::read_to_string(&path).map_err(io_err(&path))?;
    let mut changes: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (number, line) in text.lines().enumerate() {
        let Some(name) = line.split_whitespace().next() else {
            continue;
        };
        if name.starts_with(['%', '@', '#']) || !seen.insert(name) {
            continue;
        }
        // A change names a script under deploy/, never a path elsewhere.
        if name.contains('\\')
            || name
                .split('/')
                .any(|part| part.is_empty() || part.starts_with('.'))
        {
            return Err(DiscoverError::Journal {
                path: path.clone(),
                message: format!(
                    "line {}: the change {name:?} is not a script name",
                    number + 1
                ),
            });
        }
        changes.push(name.to_owned());
    }
    Ok(changes)
}

/// Whether the file opens with `--liquibase formatted sql`.
fn liquibase_header(file: &Path) -> bool {
    std::fs::read_to_string(file).is_ok_and(|s| {
        s.lines()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| liquibase_directive(l, "liquibase") == Some("formatted sql"))
    })
}

/// The rest of a `--<word> ...` Liquibase directive line.
fn liquibase_directive<'a>(line: &'a str, word: &str) -> Option<&'a str> {
    let rest = line.trim().strip_prefix("--")?.trim_start();
    let head = rest.get(..word.len())?;
    head.eq_ignore_ascii_case(word)
        .then(|| rest[word.len()..].trim())
        .filter(|r| r.len() < rest.len())
}

/// Each `--changeset author:id` of a Liquibase formatted SQL file as a migration of its own,
/// covering the lines up to the next changeset. A file without the header holds none.
fn liquibase_changesets(file: &Path, name: &str) -> Vec<Migration> {
    let Ok(text) = std::fs::read_to_string(file) else {
        // Listed whole, so that reading it later names the problem.
        return vec![Migration {
            id: name.to_owned(),
            up: Script::whole(file.to_owned()),
            down: None,
            transaction: TransactionMode::Wrapped,
        }];
    };
    if !liquibase_header(file) {
        return Vec::new();
    }
    let starts: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .filter_map(|(n, l)| liquibase_directive(l, "changeset").map(|rest| (n, rest)))
        .collect();
    let total = text.lines().count();
    starts
        .iter()
        .enumerate()
        .map(|(i, (first, attributes))| {
            let end = starts.get(i + 1).map_or(total, |(n, _)| *n);
            let no_transaction = attributes
                .split_whitespace()
                .any(|a| a.eq_ignore_ascii_case("runInTransaction:false"));
            let changeset = attributes.split_whitespace().next().unwrap_or_default();
            Migration {
                id: format!("{name}#{i:05} {changeset}"),
                up: Script {
                    path: file.to_owned(),
                    part: Part::Lines { first: *first, end },
                },
                down: None,
                transaction: if no_transaction {
                    TransactionMode::None
                } else {
                    TransactionMode::Wrapped
                },
            }
        })
        .collect()
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

/// A script with `CONCURRENTLY` in it: Flyway finds statements that cannot run in a
/// transaction on PostgreSQL (`CREATE INDEX CONCURRENTLY`) and runs such a migration without
/// one (or refuses a mix of both unless `mixed` is set, which also drops the transaction).
fn flyway_detects_concurrently(file: &Path) -> bool {
    std::fs::read_to_string(file).is_ok_and(|s| s.to_ascii_lowercase().contains("concurrently"))
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

/// The day a migration was written, as days since 1970-01-01, read from a version that starts
/// with a date: `20240326151030`, `2019-09-12-021029_name`, `V20240101__x`. Sequence numbers
/// (`00001`, `V9`) carry no date.
pub fn migration_day(id: &str) -> Option<u32> {
    let id = id.strip_prefix(['V', 'v']).unwrap_or(id);
    let digits: String = id
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '-' || *c == '_' || *c == '.')
        .filter(char::is_ascii_digit)
        .take(8)
        .collect();
    if digits.len() < 8 {
        return None;
    }
    let year: i64 = digits[..4].parse().ok()?;
    let month: i64 = digits[4..6].parse().ok()?;
    let day: i64 = digits[6..8].parse().ok()?;
    if !(1990..=2100).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    u32::try_from(dbwise_diagnostics::days_from_civil(year, month, day)).ok()
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
    fn prisma_folders_replay_in_the_order_of_their_names_as_text() {
        let tmp = tempfile::tempdir().unwrap();
        for name in [
            "20250625_pivot",
            "20250624100000_init",
            "20250625093000_enum",
        ] {
            write(tmp.path(), &format!("{name}/migration.sql"), "select 1;");
        }
        let set = discover(tmp.path(), None).unwrap();
        assert_eq!(set.framework, Framework::Prisma);
        let ids: Vec<&str> = set.migrations.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(
            ids,
            vec![
                "20250624100000_init",
                "20250625093000_enum",
                "20250625_pivot"
            ]
        );
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
        // A Go migration and its test: the migration is named, as code that is not replayed.
        write(tmp.path(), "00011_backfill.go", "package migrations");
        write(tmp.path(), "00011_backfill_test.go", "package migrations");
        write(tmp.path(), "main.go", "package main");
        let set = discover(tmp.path(), None).unwrap();
        assert_eq!(set.framework, Framework::Goose);
        let ids: Vec<&str> = set.migrations.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, vec!["00002", "00009", "00010"]);
        assert_eq!(
            set.code_migrations,
            vec![tmp.path().join("00011_backfill.go")]
        );
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
    fn sql_migrate_files_run_their_up_section_with_its_transaction_option() {
        let tmp = tempfile::tempdir().unwrap();
        let first = "/* licence */\n-- +migrate Up\nALTER TABLE a ADD COLUMN b int;\n\n-- +migrate Down\nALTER TABLE a DROP COLUMN b;\n";
        write(tmp.path(), "20180805174141-tournaments.sql", first);
        write(
            tmp.path(),
            "20180103142001_initial_schema.sql",
            "-- +migrate Up\nCREATE TABLE a (id int);\n-- +migrate Down\nDROP TABLE a;\n",
        );
        write(
            tmp.path(),
            "20190101000000-index.sql",
            "-- +migrate Up notransaction\nCREATE INDEX CONCURRENTLY i ON a (id);\n",
        );
        let set = discover(tmp.path(), None).unwrap();
        assert_eq!(set.framework, Framework::SqlMigrate);
        let ids: Vec<&str> = set.migrations.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["20180103142001", "20180805174141", "20190101000000"]);
        let up = set.migrations[1].up.select(first.to_string());
        assert!(
            up.contains("ADD COLUMN b") && !up.contains("DROP"),
            "{up:?}"
        );
        assert_eq!(set.migrations[1].transaction, TransactionMode::Wrapped);
        assert_eq!(set.migrations[2].transaction, TransactionMode::None);
    }

    #[test]
    fn tern_files_run_the_part_above_their_divider() {
        let tmp = tempfile::tempdir().unwrap();
        let first = "CREATE TABLE users (id bigint);\n\n---- create above / drop below ----\n\nDROP TABLE users;\n";
        write(tmp.path(), "001_create_users.sql", first);
        write(
            tmp.path(),
            "002_index.sql",
            "---- tern: disable-tx ----\nCREATE INDEX CONCURRENTLY i ON users (id);\n",
        );
        let set = discover(tmp.path(), None).unwrap();
        assert_eq!(set.framework, Framework::Tern);
        let ids: Vec<&str> = set.migrations.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["001", "002"]);
        let up = set.migrations[0].up.select(first.to_string());
        assert!(
            up.contains("CREATE TABLE") && !up.contains("DROP"),
            "{up:?}"
        );
        let down = set.migrations[0]
            .down
            .as_ref()
            .unwrap()
            .select(first.to_string());
        assert!(
            down.contains("DROP TABLE") && !down.contains("CREATE"),
            "{down:?}"
        );
        assert_eq!(set.migrations[0].transaction, TransactionMode::Wrapped);
        assert_eq!(set.migrations[1].transaction, TransactionMode::None);
        assert!(set.migrations[1].down.is_none());
        // Named on its own, a tern file keeps the part above its divider too.
        let whole =
            Script::whole(tmp.path().join("001_create_users.sql")).select(first.to_string());
        assert!(!whole.contains("DROP"), "{whole:?}");
    }

    #[test]
    fn sqitch_projects_replay_their_deploy_scripts_in_plan_order() {
        let tmp = tempfile::tempdir().unwrap();
        write(
            tmp.path(),
            "sqitch.plan",
            "%syntax-version=1.0.0\n%project=shop\n\nusers 2024-01-01T00:00:00Z Ann <a@x> # users\n\
             orders [users] 2024-01-02T00:00:00Z Ann <a@x> # orders\n@v1.0 2024-01-03T00:00:00Z Ann <a@x>\n\
             appschema/audit [orders] 2024-01-04T00:00:00Z Ann <a@x>\n",
        );
        write(
            tmp.path(),
            "deploy/users.sql",
            "BEGIN; CREATE TABLE users (id int); COMMIT;",
        );
        write(
            tmp.path(),
            "deploy/orders.sql",
            "BEGIN; CREATE TABLE orders (id int); COMMIT;",
        );
        write(tmp.path(), "deploy/appschema/audit.sql", "SELECT 1;");
        write(tmp.path(), "revert/users.sql", "DROP TABLE users;");
        let set = discover(tmp.path(), None).unwrap();
        assert_eq!(set.framework, Framework::Sqitch);
        let ids: Vec<&str> = set.migrations.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["users", "orders", "appschema/audit"]);
        assert!(set.migrations[0].down.is_some() && set.migrations[1].down.is_none());
        assert!(
            set.migrations
                .iter()
                .all(|m| m.transaction == TransactionMode::None)
        );
        write(
            tmp.path(),
            "sqitch.plan",
            "../../etc/passwd 2024-01-01T00:00:00Z Ann <a@x>\n",
        );
        let error = discover(tmp.path(), None).unwrap_err().to_string();
        assert!(error.contains("line 1"), "{error}");
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

    /// The file names of the set's up scripts, in replay order.
    fn up_names(set: &MigrationSet) -> Vec<String> {
        set.migrations
            .iter()
            .map(|m| {
                m.up.path
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect()
    }

    #[test]
    fn flyway_repeatables_run_last_and_concurrent_builds_outside_a_transaction() {
        let tmp = tempfile::tempdir().unwrap();
        write(
            tmp.path(),
            "R__views.sql",
            "CREATE OR REPLACE VIEW v AS SELECT 1;",
        );
        write(tmp.path(), "R__a_function.sql", "SELECT 1;");
        write(
            tmp.path(),
            "V2__index.sql",
            "CREATE INDEX CONCURRENTLY i ON t (x);",
        );
        write(tmp.path(), "V10__more.sql", "SELECT 1;");
        write(tmp.path(), "V1__init.sql", "CREATE TABLE t (x int);");
        let set = discover(tmp.path(), None).unwrap();
        assert_eq!(set.framework, Framework::Flyway);
        let ids: Vec<&str> = set.migrations.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["1", "2", "10", "R__a_function", "R__views"]);
        let modes: Vec<TransactionMode> = set.migrations.iter().map(|m| m.transaction).collect();
        assert_eq!(modes[1], TransactionMode::None);
        assert!(
            modes
                .iter()
                .enumerate()
                .all(|(i, m)| i == 1 || *m == TransactionMode::Wrapped)
        );
    }

    #[test]
    fn flyway_folders_per_release_are_one_history_in_version_order() {
        let tmp = tempfile::tempdir().unwrap();
        for rel in [
            "2.44/V2_44_10__rename.sql",
            "2.44/V2_44_8__drop.sql",
            "2.43/V2_43_21__split.sql",
            "2.43/extra/V2_43_22__nested.sql",
        ] {
            write(tmp.path(), rel, "SELECT 1;");
        }
        let set = discover(tmp.path(), None).unwrap();
        assert_eq!(set.framework, Framework::Flyway);
        let ids: Vec<&str> = set.migrations.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["2_43_21", "2_43_22", "2_44_8", "2_44_10"]);
        assert!(
            set.migrations
                .iter()
                .all(|m| m.transaction == TransactionMode::Wrapped)
        );
    }

    #[test]
    fn extension_scripts_replay_the_oldest_install_and_its_update_path() {
        let tmp = tempfile::tempdir().unwrap();
        for rel in [
            "stac--0.9.10.sql",
            "stac--0.9.9--0.9.10.sql",
            "stac--0.9.8.sql",
            "stac--0.9.9.sql",
            "stac--0.9.8--0.9.9.sql",
            // A shortcut over 0.9.9: the path takes the release-by-release update instead.
            "stac--0.9.8--0.9.10.sql",
            "stac--0.9.10--unreleased.sql",
            "stac--unreleased.sql",
        ] {
            write(tmp.path(), rel, "SELECT 1;");
        }
        let set = discover(tmp.path(), None).unwrap();
        assert_eq!(set.framework, Framework::Extension);
        assert_eq!(
            up_names(&set),
            [
                "stac--0.9.8.sql",
                "stac--0.9.8--0.9.9.sql",
                "stac--0.9.9--0.9.10.sql",
                "stac--0.9.10--unreleased.sql"
            ]
        );
        assert!(set.skipped.is_empty(), "{set:?}");
        assert!(
            set.migrations
                .iter()
                .all(|m| m.transaction == TransactionMode::Wrapped)
        );
    }

    #[test]
    fn an_unversioned_install_script_leaves_the_updates_as_the_history() {
        let tmp = tempfile::tempdir().unwrap();
        for rel in [
            "cron.sql",
            "cron--1.0--1.1.sql",
            "cron--1.1--1.2.sql",
            "cron--1.2--1.2-1.sql",
            "cron--1.2-1--1.3.sql",
        ] {
            write(tmp.path(), rel, "SELECT 1;");
        }
        let set = discover(tmp.path(), None).unwrap();
        assert_eq!(set.framework, Framework::Extension);
        assert_eq!(
            up_names(&set),
            [
                "cron--1.0--1.1.sql",
                "cron--1.1--1.2.sql",
                "cron--1.2--1.2-1.sql",
                "cron--1.2-1--1.3.sql"
            ]
        );
        let skipped: Vec<_> = set.skipped.iter().filter_map(|p| p.file_name()).collect();
        assert_eq!(skipped, ["cron.sql"]);
    }

    #[test]
    fn files_for_other_engines_are_left_out_and_autocommit_files_run_alone() {
        let tmp = tempfile::tempdir().unwrap();
        for (rel, text) in [
            ("1_init.postgres.up.sql", "CREATE TABLE t (x int);"),
            (
                "1_init.mysql.up.sql",
                "CREATE TABLE t (x int) ENGINE=InnoDB;",
            ),
            ("1_init.sqlite3.up.sql", "CREATE TABLE t (x integer);"),
            (
                "2_index.autocommit.up.sql",
                "CREATE INDEX CONCURRENTLY i ON t (x);",
            ),
            (
                "2_index.cockroach.autocommit.up.sql",
                "CREATE INDEX i ON t (x);",
            ),
            ("2_index.mysql.down.sql", "DROP INDEX i ON t;"),
            // For every dialect, but this version has a PostgreSQL file: pop runs that one.
            (
                "3_codes.autocommit.up.sql",
                "CREATE TABLE c (x int, INDEX c_x (x));",
            ),
            ("3_codes.postgres.up.sql", "CREATE TABLE c (x int);"),
        ] {
            write(tmp.path(), rel, text);
        }
        let set = discover(tmp.path(), None).unwrap();
        assert_eq!(set.framework, Framework::GolangMigrate);
        assert_eq!(
            up_names(&set),
            [
                "1_init.postgres.up.sql",
                "2_index.autocommit.up.sql",
                "3_codes.postgres.up.sql"
            ]
        );
        assert_eq!(
            set.migrations[1].transaction,
            TransactionMode::None,
            "{set:?}"
        );
        assert_eq!(set.other_engines, 4);
        assert!(set.skipped.is_empty(), "{set:?}");
    }

    #[test]
    fn unnamed_versions_and_underscore_directions_are_migrations_and_strays_are_listed() {
        let tmp = tempfile::tempdir().unwrap();
        for (rel, text) in [
            ("0001_init.up.sql", "CREATE TABLE t (x int);"),
            ("0001_init.down.sql", "DROP TABLE t;"),
            ("0002_extra_up.sql", "ALTER TABLE t ADD COLUMN y int;"),
            ("0002_extra_down.sql", "ALTER TABLE t DROP COLUMN y;"),
            ("0003.up.sql", "ALTER TABLE t ADD COLUMN z int;"),
            ("0003.down.sql", "ALTER TABLE t DROP COLUMN z;"),
            ("notes.sql", "SELECT 1;"),
        ] {
            write(tmp.path(), rel, text);
        }
        let set = discover(tmp.path(), None).unwrap();
        assert_eq!(set.framework, Framework::GolangMigrate);
        assert_eq!(
            up_names(&set),
            ["0001_init.up.sql", "0002_extra_up.sql", "0003.up.sql"]
        );
        assert!(set.migrations.iter().all(|m| m.down.is_some()), "{set:?}");
        assert_eq!(set.skipped, [tmp.path().join("notes.sql")]);
    }

    #[test]
    fn reversible_files_of_a_rust_project_are_sqlx() {
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), "Cargo.toml", "[package]\nname = \"x\"\n");
        write(
            tmp.path(),
            "migrations/1_init.up.sql",
            "CREATE TABLE t (x int);",
        );
        write(tmp.path(), "migrations/1_init.down.sql", "DROP TABLE t;");
        let set = discover(&tmp.path().join("migrations"), None).unwrap();
        assert_eq!(set.framework, Framework::Sqlx);
        assert_eq!(set.migrations[0].transaction, TransactionMode::Wrapped);
        write(tmp.path(), "go/go.mod", "module x\n");
        write(
            tmp.path(),
            "go/migrations/1_init.up.sql",
            "CREATE TABLE t (x int);",
        );
        let set = discover(&tmp.path().join("go/migrations"), None).unwrap();
        assert_eq!(set.framework, Framework::GolangMigrate);
    }

    #[test]
    fn drizzle_folders_replay_in_journal_order() {
        let tmp = tempfile::tempdir().unwrap();
        // The journal, not the names, orders the files.
        write(
            tmp.path(),
            "meta/_journal.json",
            r#"{"version":"7","dialect":"postgresql","entries":[
                {"idx":1,"version":"7","when":2,"tag":"0000_second","breakpoints":true},
                {"idx":0,"version":"7","when":1,"tag":"0001_first","breakpoints":true}]}"#,
        );
        write(tmp.path(), "meta/0000_snapshot.json", "{}");
        write(
            tmp.path(),
            "0001_first.sql",
            "CREATE TABLE t (x int);\n--> statement-breakpoint\nCREATE TABLE u (y int);\n",
        );
        write(
            tmp.path(),
            "0000_second.sql",
            "ALTER TABLE t ADD COLUMN z int;\n",
        );
        let set = discover(tmp.path(), None).unwrap();
        assert_eq!(set.framework, Framework::Drizzle);
        let ids: Vec<&str> = set.migrations.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["0001_first", "0000_second"]);
        assert_eq!(set.migrations[0].transaction, TransactionMode::Wrapped);

        // A tag that leaves the folder is refused with the journal's path.
        write(
            tmp.path(),
            "meta/_journal.json",
            r#"{"entries":[{"idx":0,"tag":"../../etc/passwd"}]}"#,
        );
        let err = discover(tmp.path(), None).unwrap_err().to_string();
        assert!(
            err.contains("_journal.json") && err.contains("not a file name"),
            "{err}"
        );
    }

    #[test]
    fn liquibase_changesets_are_migrations_of_their_own() {
        let tmp = tempfile::tempdir().unwrap();
        let text = "--liquibase formatted sql\n\
                    \n\
                    --changeset alice:1\n\
                    CREATE TABLE t (x int);\n\
                    --rollback DROP TABLE t;\n\
                    \n\
                    --changeset bob:2 runInTransaction:false\n\
                    CREATE INDEX CONCURRENTLY t_x ON t (x);\n\
                    --rollback DROP INDEX t_x;\n";
        write(
            tmp.path(),
            "changelog-10.sql",
            "--liquibase formatted sql\n--changeset alice:3\nALTER TABLE t ADD COLUMN y int;\n",
        );
        write(tmp.path(), "changelog-9.sql", text);
        let set = discover(tmp.path(), None).unwrap();
        assert_eq!(set.framework, Framework::Liquibase);
        let ids: Vec<&str> = set.migrations.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "changelog-9.sql#00000 alice:1",
                "changelog-9.sql#00001 bob:2",
                "changelog-10.sql#00000 alice:3"
            ]
        );
        assert_eq!(set.migrations[0].transaction, TransactionMode::Wrapped);
        assert_eq!(set.migrations[1].transaction, TransactionMode::None);
        // Each changeset keeps only its own lines, at their places in the file.
        let second = set.migrations[1].up.select(text.to_owned());
        assert_eq!(second.lines().count(), text.lines().count());
        assert!(second.contains("CREATE INDEX CONCURRENTLY") && !second.contains("CREATE TABLE"));
        assert_eq!(
            second.find("CREATE INDEX"),
            text.find("CREATE INDEX"),
            "positions are those of the file"
        );
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
        // The schema of a new installation beside the steps, as memos keeps it.
        write(tmp.path(), "LATEST.sql", "create table t (id int);");
        let set = discover(tmp.path(), None).unwrap();
        let ids: Vec<&str> = set.migrations.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(
            ids,
            vec!["v1.9/a.sql", "v1.9/b.sql", "v1.10/b.sql", "v2.0.0/a.sql"]
        );
        assert_eq!(set.skipped, [tmp.path().join("LATEST.sql")]);
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
    fn schema_dumps_beside_a_nested_history_and_folders_of_histories_lead_to_the_history() {
        // A generated dump in migrate/ beside the real history in migrate/migrations/.
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), "migrate/schema.sql", "CREATE TABLE t (id int);");
        write(
            tmp.path(),
            "migrate/schema-16.sql",
            "CREATE TABLE t (id int);",
        );
        for n in ["20180101-init.sql", "20180201-more.sql"] {
            write(
                tmp.path(),
                &format!("migrate/migrations/{n}"),
                "-- +migrate Up\nselect 1;\n",
            );
        }
        let set = discover_in_project(tmp.path(), None).unwrap();
        assert_eq!(set.root, tmp.path().join("migrate/migrations"));
        assert_eq!(set.migrations.len(), 2);
        // A Flyway module seven folders down.
        let deep = tempfile::tempdir().unwrap();
        for n in ["V1__init.sql", "V2__more.sql"] {
            write(
                deep.path(),
                &format!("api/src/main/resources/app/db/migration/{n}"),
                "select 1;",
            );
        }
        let set = discover_in_project(deep.path(), None).unwrap();
        assert_eq!(set.framework, Framework::Flyway);
        // A migrations folder that only holds folders of histories: each is a candidate.
        let split = tempfile::tempdir().unwrap();
        for folder in ["tenant", "multitenant"] {
            write(
                split.path(),
                &format!("migrations/{folder}/0001-init.sql"),
                "select 1;",
            );
            write(
                split.path(),
                &format!("migrations/{folder}/0002-more.sql"),
                "select 1;",
            );
        }
        let error = discover_in_project(split.path(), None)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("migrations/tenant") && error.contains("migrations/multitenant"),
            "{error}"
        );
    }

    #[test]
    fn a_migration_folder_deep_in_a_project_is_found() {
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), "go.mod", "module x");
        write(tmp.path(), "cmd/tool/migrate/migrate.go", "package migrate");
        write(tmp.path(), "cmd/tool/migrate/check.sql", "select 1;");
        for n in ["20240101000000_init.sql", "20240201000000_more.sql"] {
            write(
                tmp.path(),
                &format!("cmd/tool/migrate/migrations/{n}"),
                "-- +goose Up\nselect 1;\n",
            );
        }
        // Dependencies and test fixtures hold migrations that are not the project's.
        write(
            tmp.path(),
            "node_modules/lib/migrations/1_x.sql",
            "select 1;",
        );
        write(tmp.path(), "internal/tests/migrations/1_x.sql", "select 1;");
        let set = discover_in_project(tmp.path(), None).unwrap();
        assert_eq!(set.root, tmp.path().join("cmd/tool/migrate/migrations"));
        assert_eq!(set.framework, Framework::Goose);
    }

    #[test]
    fn the_postgresql_folder_of_several_engines_is_taken() {
        let tmp = tempfile::tempdir().unwrap();
        for engine in ["postgres", "sqlite"] {
            write(
                tmp.path(),
                &format!("backend/resources/migrations/{engine}/1_init.up.sql"),
                "create table t (id int);",
            );
        }
        let set = discover_in_project(tmp.path(), None).unwrap();
        assert_eq!(
            set.root,
            tmp.path().join("backend/resources/migrations/postgres")
        );
        // Folders named for their engine after the word (`migrations_postgres`), beside a
        // module's own small PostgreSQL history.
        let tmp = tempfile::tempdir().unwrap();
        for engine in ["postgres", "sqlite"] {
            for n in 1..=5 {
                write(
                    tmp.path(),
                    &format!("server/migrations_{engine}/2024-01-0{n}-000000_m{n}/up.sql"),
                    "create table t (id int);",
                );
            }
        }
        write(
            tmp.path(),
            "server/src/integration/postgresql/migrations/2024-01-01-000000_init/up.sql",
            "create table e (id int);",
        );
        let set = discover_in_project(tmp.path(), None).unwrap();
        assert_eq!(set.root, tmp.path().join("server/migrations_postgres"));
    }

    #[test]
    fn several_migration_folders_are_named_not_merged() {
        let tmp = tempfile::tempdir().unwrap();
        write(
            tmp.path(),
            "controller/migrations/2024-01-01-000000_a/up.sql",
            "select 1;",
        );
        write(tmp.path(), "tools/src/migrations/0001-a.sql", "select 1;");
        let error = discover_in_project(tmp.path(), None)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("holds several migration folders")
                && error.contains("controller/migrations (1 diesel migrations)")
                && error.contains("tools/src/migrations (1 plain migrations)"),
            "{error}"
        );
    }

    #[test]
    fn a_history_five_times_larger_than_the_others_is_the_projects() {
        let tmp = tempfile::tempdir().unwrap();
        for n in 1..=10 {
            write(
                tmp.path(),
                &format!("persistence/sql/migrations/{n}_step.up.sql"),
                "select 1;",
            );
        }
        // A vendored library's own history, and a test double's, which is not searched.
        write(tmp.path(), "lib/netx/migrations/1_init.up.sql", "select 1;");
        for n in 1..=10 {
            write(
                tmp.path(),
                &format!("lib/popx/stub/migrations/{n}_x.up.sql"),
                "select 1;",
            );
        }
        let set = discover_in_project(tmp.path(), None).unwrap();
        assert_eq!(set.root, tmp.path().join("persistence/sql/migrations"));
        assert_eq!(set.passed_over, [tmp.path().join("lib/netx/migrations")]);
        // Ten to three is not enough: the user names the folder.
        for n in 2..=3 {
            write(
                tmp.path(),
                &format!("lib/netx/migrations/{n}_more.up.sql"),
                "select 1;",
            );
        }
        let error = discover_in_project(tmp.path(), None).unwrap_err();
        assert!(matches!(error, DiscoverError::Several { .. }), "{error}");
    }

    #[test]
    fn a_folder_of_any_name_is_found_by_its_files() {
        // Flyway files in a module's resources, under a folder of no conventional name.
        let flyway = tempfile::tempdir().unwrap();
        write(
            flyway.path(),
            "manager/src/main/resources/org/acme/manager/setup/database/V20240101_01__Init.sql",
            "create table t (id int);",
        );
        let set = discover_in_project(flyway.path(), None).unwrap();
        assert_eq!(set.framework, Framework::Flyway);
        assert!(
            set.root.ends_with("org/acme/manager/setup/database"),
            "{:?}",
            set.root
        );
        // A drizzle folder found by its journal, in an app of a monorepo; the example app's
        // history is not the project's.
        let drizzle = tempfile::tempdir().unwrap();
        write(
            drizzle.path(),
            "apps/web/drizzle/meta/_journal.json",
            r#"{"entries":[{"idx":0,"tag":"0000_init"}]}"#,
        );
        write(
            drizzle.path(),
            "apps/web/drizzle/0000_init.sql",
            "create table t (id int);",
        );
        write(
            drizzle.path(),
            "examples/demo/migrations/0001_demo.sql",
            "create table d (id int);",
        );
        let set = discover_in_project(drizzle.path(), None).unwrap();
        assert_eq!(set.framework, Framework::Drizzle);
        assert_eq!(set.root, drizzle.path().join("apps/web/drizzle"));
    }

    #[test]
    fn a_folder_per_migration_with_a_file_per_engine_replays_the_postgresql_files() {
        let tmp = tempfile::tempdir().unwrap();
        for (folder, table) in [("20200101000000_b", "b"), ("20190101000000_a", "a")] {
            write(
                tmp.path(),
                &format!("{folder}/postgres.sql"),
                &format!(
                    "-- +goose Up\nCREATE TABLE {table} (id int);\n-- +goose Down\nDROP TABLE {table};\n"
                ),
            );
            write(
                tmp.path(),
                &format!("{folder}/sqlite3.sql"),
                &format!("-- +goose Up\nCREATE TABLE {table} (id integer);\n"),
            );
        }
        let set = discover(tmp.path(), None).unwrap();
        assert_eq!(set.framework, Framework::Goose);
        let ids: Vec<&str> = set.migrations.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["20190101000000", "20200101000000"]);
        assert!(
            set.migrations[0]
                .up
                .path
                .ends_with("20190101000000_a/postgres.sql")
        );
        assert!(
            set.migrations[0].down.is_some(),
            "the Down section is the down script"
        );
    }

    #[test]
    fn histories_kept_per_engine_give_the_postgresql_one() {
        let tmp = tempfile::tempdir().unwrap();
        for crate_name in ["server-postgres", "server-sqlite", "client"] {
            write(
                tmp.path(),
                &format!("crates/{crate_name}/migrations/0001_init.sql"),
                "create table t (id int);",
            );
        }
        let set = discover_in_project(tmp.path(), None).unwrap();
        assert_eq!(
            set.root,
            tmp.path().join("crates/server-postgres/migrations")
        );
        // A history named `pg_...` beside others that name no engine is not a choice of engine.
        let services = tempfile::tempdir().unwrap();
        for service in ["node", "pg_queue"] {
            write(
                services.path(),
                &format!("sql/migrations/{service}/0001_init.sql"),
                "create table t (id int);",
            );
        }
        let error = discover_in_project(services.path(), None)
            .unwrap_err()
            .to_string();
        assert!(error.contains("holds several migration folders"), "{error}");
    }

    #[test]
    fn a_folder_of_fizz_migrations_says_they_are_not_sql() {
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), "1_users.up.fizz", "create_table(\"users\") {}");
        write(tmp.path(), "1_users.down.fizz", "drop_table(\"users\")");
        let error = discover_in_project(tmp.path(), None)
            .unwrap_err()
            .to_string();
        assert!(error.contains("its 2 .fizz files"), "{error}");
    }

    #[test]
    fn an_empty_folder_is_a_clear_error() {
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), "README.md", "nothing here");
        let err = discover(tmp.path(), None).unwrap_err();
        assert!(err.to_string().contains("no SQL migrations found"), "{err}");
    }

    #[test]
    fn migration_days_come_from_dated_versions_only() {
        assert_eq!(migration_day("19900102000000"), Some(7_306));
        assert_eq!(migration_day("20240301000000_x"), Some(19_783));
        assert_eq!(
            migration_day("20240301000000_x").zip(migration_day("20240228")),
            Some((19_783, 19_781)),
            "2024 is a leap year"
        );
        assert_eq!(
            migration_day("2019-09-12-021029_add_postgresql"),
            Some(18_151)
        );
        assert_eq!(migration_day("V20190912__init"), Some(18_151));
        for undated in ["00001", "V9", "0001_init", "12345678", "20241399", "init"] {
            assert_eq!(migration_day(undated), None, "{undated}");
        }
    }

    #[test]
    fn dashed_diesel_versions_sort_by_their_digits() {
        let tmp = tempfile::tempdir().unwrap();
        for name in [
            "2017-09-23-182408_move_tokens",
            "20140924113530_first",
            "00000000000000_diesel_initial_setup",
            "2019-11-11-162609_drop_email",
        ] {
            write(tmp.path(), &format!("{name}/up.sql"), "SELECT 1;");
        }
        let set = discover(tmp.path(), None).unwrap();
        let ids: Vec<&str> = set.migrations.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "00000000000000_diesel_initial_setup",
                "20140924113530_first",
                "2017-09-23-182408_move_tokens",
                "2019-11-11-162609_drop_email"
            ]
        );
    }

    #[test]
    fn natural_order_compares_numbers_by_value() {
        assert!(natural_cmp("V2", "V10").is_lt());
        assert!(natural_cmp("1.9", "1.10").is_lt());
        assert!(natural_cmp("2020_a", "2020_b").is_lt());
    }
}
