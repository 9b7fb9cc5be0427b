//! The sandbox's SQLite database: tables shaped like Medusa's (v1's `user` and `invite`; v2's
//! users, auth identities, invites and API keys, see `v2/db/`), plus a `meta` table for the
//! JWT secret. Everything here is synchronous; the server calls it from `spawn_blocking`.
//!
//! Writes go through one connection (SQLite has one writer anyway, and serialising them makes
//! "check then insert" races impossible on top of the unique index). A file database also gets a
//! few read-only connections, which WAL lets run beside the writer.

mod invites;
mod users;

pub use invites::*;
pub use users::*;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, TryLockError};
use std::time::Duration;

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde_json::{Map, Value};

use super::SandboxError;

/// Bumped when the schema changes; an older database is migrated step by step.
const SCHEMA_VERSION: i64 = 3;
const READERS: usize = 2;

const SCHEMA_V1: &str = r#"
CREATE TABLE "user" (
    id            TEXT PRIMARY KEY NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    deleted_at    TEXT,
    role          TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('admin', 'member', 'developer')),
    email         TEXT NOT NULL,
    first_name    TEXT,
    last_name     TEXT,
    password_hash TEXT,
    api_token     TEXT,
    metadata      TEXT
);
-- Like Medusa's "IDX_ba8de19442d86957a3aa3b5006": one live user per e-mail; deleted users free
-- their address. E-mails are stored lower-cased, lower() guards rows written by other tools.
CREATE UNIQUE INDEX user_email_live ON "user" (lower(email)) WHERE deleted_at IS NULL;
-- The default list order, newest first, and paging through it.
CREATE INDEX user_created_live ON "user" (created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX user_api_token_live ON "user" (api_token) WHERE deleted_at IS NULL;
CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
"#;

/// A lower-cased "email, first name, last name" per user, indexed with the list order, so that a
/// search (`q=`) and its total count read one index instead of every table row. Virtual: SQLite
/// computes it on write and keeps the value in the index only. The fields are joined with a
/// newline, which a search term never crosses (terms with one take the slow path).
const SCHEMA_V2: &str = r#"
ALTER TABLE "user" ADD COLUMN search TEXT GENERATED ALWAYS AS (
    lower(email) || char(10) || lower(coalesce(first_name, '')) || char(10)
    || lower(coalesce(last_name, ''))
) VIRTUAL;
CREATE INDEX user_search_live ON "user" (created_at, id, search) WHERE deleted_at IS NULL;
-- Covered by the new index's leading columns.
DROP INDEX user_created_live;
"#;

pub struct Store {
    // Fields drop in order: the read-only connections close first, so that the writer is the
    // last connection and checkpoints the WAL into the database file on the way out.
    readers: Vec<Mutex<Connection>>,
    writer: Mutex<Connection>,
    next_reader: AtomicUsize,
    ids: Mutex<ulid::Generator>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic inside a closure cannot leave a connection mid-transaction (rusqlite rolls back
    // on drop), so a poisoned connection is still fine to use.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The current time as JavaScript's `Date.toISOString()` writes it.
pub fn js_now() -> String {
    js_timestamp(time::OffsetDateTime::now_utc())
}

pub fn js_timestamp(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

impl Store {
    /// Opens (creating if needed) and migrates the database. `true` when it was new, so the
    /// caller seeds it.
    pub fn open(path: Option<&Path>) -> Result<(Store, bool), SandboxError> {
        let label = path.map_or_else(|| ":memory:".to_owned(), |p| p.display().to_string());
        let open_err = |source: rusqlite::Error| SandboxError::Database {
            path: label.clone(),
            source,
        };
        if let Some(p) = path {
            // The database holds password hashes and API tokens: owner only. (SQLite gives its -wal
            // and -shm files the same permissions.)
            crate::files::create_private_if_missing(p).map_err(|source| {
                SandboxError::DatabaseFile {
                    path: label.clone(),
                    source,
                }
            })?;
        }
        let mut writer = match path {
            Some(p) => Connection::open(p).map_err(open_err)?,
            None => Connection::open_in_memory().map_err(open_err)?,
        };
        writer
            .busy_timeout(Duration::from_secs(5))
            .map_err(open_err)?;
        if path.is_some() {
            // WAL lets the read connections work while a write is in progress.
            let mode: String = writer
                .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
                .map_err(open_err)?;
            if !mode.eq_ignore_ascii_case("wal") {
                tracing::warn!(mode, "sandbox database is not in WAL mode");
            }
            writer
                .pragma_update(None, "synchronous", "NORMAL")
                .map_err(open_err)?;
        }
        let fresh = migrate(&mut writer).map_err(|e| match e {
            MigrateError::Sql(source) => SandboxError::Migrate {
                path: label.clone(),
                message: source.to_string(),
            },
            MigrateError::Newer(found) => SandboxError::Migrate {
                path: label.clone(),
                message: format!(
                    "it has schema version {found}, newer than this build's {SCHEMA_VERSION}; \
                     use a newer medusa-users or another --data file"
                ),
            },
        })?;
        let mut readers = Vec::new();
        if let Some(p) = path {
            for _ in 0..READERS {
                let c = Connection::open_with_flags(
                    p,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )
                .map_err(open_err)?;
                c.busy_timeout(Duration::from_secs(5)).map_err(open_err)?;
                readers.push(Mutex::new(c));
            }
        }
        Ok((
            Store {
                writer: Mutex::new(writer),
                readers,
                next_reader: AtomicUsize::new(0),
                ids: Mutex::new(ulid::Generator::new()),
            },
            fresh,
        ))
    }

    pub(crate) fn read<T>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        if self.readers.is_empty() {
            return f(&lock(&self.writer));
        }
        for reader in &self.readers {
            match reader.try_lock() {
                Ok(c) => return f(&c),
                Err(TryLockError::Poisoned(p)) => return f(&p.into_inner()),
                Err(TryLockError::WouldBlock) => {}
            }
        }
        let i = self.next_reader.fetch_add(1, Ordering::Relaxed) % self.readers.len();
        f(&lock(&self.readers[i]))
    }

    /// Runs `f` in one write transaction.
    pub fn write<T, E: From<rusqlite::Error>>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction()?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// A new `usr_<ULID>`; monotonic, so ids made in the same millisecond still sort in
    /// creation order (the list's tie-break).
    pub fn new_id(&self) -> String {
        self.new_prefixed_id("usr")
    }

    /// A new `<prefix>_<ULID>` (`invite`, v2's `user`, `authid`, `apk`), monotonic like
    /// [`Store::new_id`].
    pub fn new_prefixed_id(&self, prefix: &str) -> String {
        let mut generator = lock(&self.ids);
        let ulid = generator
            .generate()
            // Only after 2^80 ids in one millisecond; a fresh random id is then as good.
            .unwrap_or_else(|_| ulid::Ulid::generate());
        format!("{prefix}_{ulid}")
    }

    pub fn meta(&self, key: &str) -> rusqlite::Result<Option<String>> {
        self.read(|c| {
            c.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
                .optional()
        })
    }

    pub fn set_meta(&self, key: &str, value: &str) -> rusqlite::Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )
            .map(drop)
        })
    }
}

/// Metadata as the stores keep it: JSON text in a column, for both dialects.
pub(crate) fn metadata_text(m: Option<&Map<String, Value>>) -> Option<String> {
    m.map(|m| Value::Object(m.clone()).to_string())
}

/// Metadata read back: written by us as a JSON object; anything else (a hand-edited file)
/// reads as null rather than failing every request that touches the row.
pub(crate) fn metadata_from(text: Option<String>) -> Option<Map<String, Value>> {
    text.and_then(|m| match serde_json::from_str(&m) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    })
}

enum MigrateError {
    Sql(rusqlite::Error),
    Newer(i64),
}

impl From<rusqlite::Error> for MigrateError {
    fn from(e: rusqlite::Error) -> Self {
        MigrateError::Sql(e)
    }
}

/// Invites for v1, and Medusa v2's own tables. The two dialects share a database file (and its
/// JWT secret) but not their data: a v2 sandbox never reads v1's `user` table, nor the reverse,
/// because the two servers' users differ in shape and rules (roles, e-mail case, ids).
const SCHEMA_V3: &str = r#"
-- Medusa v1's invite: one row per exact e-mail (the case is kept), hard-deleted on accept.
CREATE TABLE invite (
    id          TEXT PRIMARY KEY NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    user_email  TEXT NOT NULL UNIQUE,
    role        TEXT NOT NULL CHECK (role IN ('admin', 'member', 'developer')),
    token       TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    metadata    TEXT
);
CREATE TABLE v2_user (
    id          TEXT PRIMARY KEY NOT NULL,
    first_name  TEXT,
    last_name   TEXT,
    email       TEXT NOT NULL,
    avatar_url  TEXT,
    metadata    TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);
-- Case-sensitive, like v2's: ALICE@x and alice@x are two users.
CREATE UNIQUE INDEX v2_user_email_live ON v2_user (email) WHERE deleted_at IS NULL;
-- An emailpass auth identity; user_id is its app_metadata.user_id (NULL until an invite is
-- accepted with it), reset_jti the one reset token that still works.
CREATE TABLE v2_auth_identity (
    id            TEXT PRIMARY KEY NOT NULL,
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    user_id       TEXT,
    reset_jti     TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX v2_auth_identity_user ON v2_auth_identity (user_id);
CREATE TABLE v2_invite (
    id          TEXT PRIMARY KEY NOT NULL,
    email       TEXT NOT NULL UNIQUE,
    token       TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    metadata    TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
-- Secret keys are kept as a SHA-256 of the token only; publishable ones are public anyway.
CREATE TABLE v2_api_key (
    id          TEXT PRIMARY KEY NOT NULL,
    title       TEXT NOT NULL,
    type        TEXT NOT NULL CHECK (type IN ('secret', 'publishable')),
    token       TEXT,
    token_hash  TEXT NOT NULL UNIQUE,
    redacted    TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    revoked_by  TEXT,
    revoked_at  TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
"#;

/// Brings the schema to [`SCHEMA_VERSION`]; `true` when the database was empty.
fn migrate(conn: &mut Connection) -> Result<bool, MigrateError> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(MigrateError::Newer(version));
    }
    if version == SCHEMA_VERSION {
        return Ok(false);
    }
    let tx = conn.transaction()?;
    if version < 1 {
        tx.execute_batch(SCHEMA_V1)?;
    }
    if version < 2 {
        tx.execute_batch(SCHEMA_V2)?;
    }
    if version < 3 {
        tx.execute_batch(SCHEMA_V3)?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    Ok(version == 0)
}

/// Appends `(?, ?, …)` for `values` to `sql` and their arguments to `args`, or `(NULL)` when
/// there are none, so that an empty `IN` list matches nothing: the list filters of both
/// dialects' stores (v1's here, v2's in `v2/db/listing.rs`) build their `IN` lists with it.
pub(crate) fn push_sql_list(sql: &mut String, args: &mut Vec<SqlValue>, values: &[String]) {
    sql.push('(');
    for (i, v) in values.iter().enumerate() {
        sql.push_str(if i == 0 { "?" } else { ", ?" });
        args.push(SqlValue::Text(v.clone()));
    }
    if values.is_empty() {
        sql.push_str("NULL");
    }
    sql.push(')');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_look_like_javascript() {
        let t = time::macros::datetime!(2026-11-27 10:23:06.471 UTC);
        assert_eq!(js_timestamp(t), "2026-11-27T10:23:06.471Z");
    }

    #[test]
    fn a_version_1_database_is_migrated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v1.sqlite3");
        {
            let c = Connection::open(&path).unwrap();
            c.execute_batch(SCHEMA_V1).unwrap();
            c.pragma_update(None, "user_version", 1).unwrap();
            c.execute(
                "INSERT INTO \"user\" (id, created_at, updated_at, email, first_name)
                 VALUES ('usr_1', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z',
                 'old@example.com', 'Olga')",
                [],
            )
            .unwrap();
        }
        let (store, fresh) = Store::open(Some(&path)).unwrap();
        assert!(!fresh);
        let (rows, _) = store
            .list(&ListQuery {
                q: Some("OLG".to_owned()),
                ..ListQuery::default()
            })
            .unwrap();
        assert_eq!(rows[0].email, "old@example.com");
    }

    #[test]
    fn newer_schema_is_refused_with_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite3");
        {
            let c = Connection::open(&path).unwrap();
            c.pragma_update(None, "user_version", 99).unwrap();
        }
        let err = Store::open(Some(&path)).err().unwrap().to_string();
        assert!(err.contains("db.sqlite3") && err.contains("99"), "{err}");
    }
}
