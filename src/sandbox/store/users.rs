//! Medusa v1's users: the `user` table, its rows and the queries the v1 routes make.

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};
use serde_json::{Map, Value};

use super::{Store, js_now, metadata_text, push_sql_list};

const USER_COLUMNS: &str = "id, created_at, updated_at, deleted_at, role, email, first_name, \
                            last_name, api_token, metadata, password_hash";

/// A stored user, password hash included (never sent out, see `render`).
#[derive(custom_debug::Debug, Clone, PartialEq)]
pub struct UserRow {
    pub id: String,
    pub created_at: String,
    pub updated_at: String,
    pub deleted_at: Option<String>,
    pub role: String,
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    #[debug(with = crate::secret::redacted_option)]
    pub api_token: Option<String>,
    pub metadata: Option<Map<String, Value>>,
    #[debug(with = crate::secret::redacted_option)]
    pub password_hash: Option<String>,
}

fn user_from_row(row: &Row<'_>) -> rusqlite::Result<UserRow> {
    let metadata: Option<String> = row.get(9)?;
    Ok(UserRow {
        id: row.get(0)?,
        created_at: row.get(1)?,
        updated_at: row.get(2)?,
        deleted_at: row.get(3)?,
        role: row.get(4)?,
        email: row.get(5)?,
        first_name: row.get(6)?,
        last_name: row.get(7)?,
        api_token: row.get(8)?,
        metadata: super::metadata_from(metadata),
        password_hash: row.get(10)?,
    })
}

/// A user to insert; `updated_at` starts equal to `created_at`.
#[derive(Clone)]
pub struct NewUser {
    pub id: String,
    pub created_at: String,
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub role: String,
    pub password_hash: Option<String>,
    pub api_token: Option<String>,
    pub metadata: Option<Map<String, Value>>,
}

/// An update. `Some(None)` clears a nullable field; metadata is a patch merged into the stored
/// object, where a key set to `""` is removed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserChanges {
    pub first_name: Option<Option<String>>,
    pub last_name: Option<Option<String>>,
    pub role: Option<String>,
    pub api_token: Option<Option<String>>,
    pub metadata: Option<Map<String, Value>>,
}

#[derive(Debug, thiserror::Error)]
pub enum InsertError {
    #[error("a live user already has this e-mail")]
    DuplicateEmail,
    #[error(transparent)]
    Sql(#[from] rusqlite::Error),
}

/// A user column, as `order` and `fields` name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Id,
    CreatedAt,
    UpdatedAt,
    DeletedAt,
    Role,
    Email,
    FirstName,
    LastName,
    ApiToken,
    Metadata,
}

impl Column {
    /// In the order a `GET` shows them.
    pub const ALL: [Column; 10] = [
        Column::Id,
        Column::CreatedAt,
        Column::UpdatedAt,
        Column::DeletedAt,
        Column::Role,
        Column::Email,
        Column::FirstName,
        Column::LastName,
        Column::ApiToken,
        Column::Metadata,
    ];

    /// The columns the user entity declares itself, in [`Column::ALL`]'s order: all but the id
    /// and the timestamps, which come first from the base entity.
    pub fn entity_columns() -> impl Iterator<Item = Column> {
        Column::ALL.into_iter().filter(|c| {
            !matches!(
                c,
                Column::Id | Column::CreatedAt | Column::UpdatedAt | Column::DeletedAt
            )
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Column::Id => "id",
            Column::CreatedAt => "created_at",
            Column::UpdatedAt => "updated_at",
            Column::DeletedAt => "deleted_at",
            Column::Role => "role",
            Column::Email => "email",
            Column::FirstName => "first_name",
            Column::LastName => "last_name",
            Column::ApiToken => "api_token",
            Column::Metadata => "metadata",
        }
    }

    pub fn from_name(name: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.name() == name)
    }

    /// Everything but the JSON column can be sorted on.
    pub fn sortable(self) -> bool {
        self != Column::Metadata
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Lt,
    Gt,
    Lte,
    Gte,
}

impl Cmp {
    fn sql(self) -> &'static str {
        match self {
            Cmp::Lt => "<",
            Cmp::Gt => ">",
            Cmp::Lte => "<=",
            Cmp::Gte => ">=",
        }
    }
}

/// A validated `GET /admin/users` query.
#[derive(Debug, Clone, PartialEq)]
pub struct ListQuery {
    /// `None`: every row (Medusa's `limit=0`).
    pub limit: Option<u64>,
    pub offset: u64,
    pub q: Option<String>,
    pub order: Column,
    pub descending: bool,
    pub ids: Option<Vec<String>>,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub roles: Option<Vec<String>>,
    /// Timestamps already in the stored text format, so they compare as strings.
    pub dates: Vec<(Column, Cmp, String)>,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            limit: Some(50),
            offset: 0,
            q: None,
            order: Column::CreatedAt,
            descending: true,
            ids: None,
            email: None,
            first_name: None,
            last_name: None,
            roles: None,
            dates: Vec::new(),
        }
    }
}

impl Store {
    pub fn live_user(&self, id: &str) -> rusqlite::Result<Option<UserRow>> {
        self.read(|c| live_user_tx(c, id))
    }

    /// By e-mail, compared lower-cased like Medusa's `retrieveByEmail`.
    pub fn live_user_by_email(&self, email: &str) -> rusqlite::Result<Option<UserRow>> {
        self.read(|c| {
            c.prepare_cached(&format!(
                "SELECT {USER_COLUMNS} FROM \"user\" WHERE lower(email) = ?1 AND deleted_at IS NULL"
            ))?
            .query_row([email.to_lowercase()], user_from_row)
            .optional()
        })
    }

    /// By API token. Tokens are not unique; like the real server (case 085) the oldest live
    /// user holding it wins.
    pub fn live_user_by_api_token(&self, token: &str) -> rusqlite::Result<Option<UserRow>> {
        self.read(|c| {
            c.prepare_cached(&format!(
                "SELECT {USER_COLUMNS} FROM \"user\" WHERE api_token = ?1 AND deleted_at IS NULL
                 ORDER BY created_at, id LIMIT 1"
            ))?
            .query_row([token], user_from_row)
            .optional()
        })
    }

    pub fn insert_user(&self, user: &NewUser) -> Result<UserRow, InsertError> {
        self.write(|tx| {
            insert_user_tx(tx, user)?;
            live_user_tx(tx, &user.id)?
                .ok_or(InsertError::Sql(rusqlite::Error::QueryReturnedNoRows))
        })
    }

    /// Applies `changes` to a live user. `None` when there is no such user; otherwise the row
    /// and whether anything changed (an unchanged row keeps its `updated_at`).
    pub fn update_user(
        &self,
        id: &str,
        changes: &UserChanges,
    ) -> rusqlite::Result<Option<(UserRow, bool)>> {
        self.write(|tx| {
            let Some(before) = live_user_tx(tx, id)? else {
                return Ok(None);
            };
            let mut after = before.clone();
            if let Some(v) = &changes.first_name {
                after.first_name = v.clone();
            }
            if let Some(v) = &changes.last_name {
                after.last_name = v.clone();
            }
            if let Some(v) = &changes.role {
                after.role = v.clone();
            }
            if let Some(v) = &changes.api_token {
                after.api_token = v.clone();
            }
            if let Some(patch) = &changes.metadata {
                let mut merged = after.metadata.take().unwrap_or_default();
                for (k, v) in patch {
                    if v.as_str() == Some("") {
                        merged.shift_remove(k);
                    } else {
                        merged.insert(k.clone(), v.clone());
                    }
                }
                after.metadata = Some(merged);
            }
            if after == before {
                return Ok(Some((before, false)));
            }
            after.updated_at = js_now();
            tx.prepare_cached(
                "UPDATE \"user\" SET first_name = ?2, last_name = ?3, role = ?4, api_token = ?5,
                 metadata = ?6, updated_at = ?7 WHERE id = ?1",
            )?
            .execute(params![
                after.id,
                after.first_name,
                after.last_name,
                after.role,
                after.api_token,
                metadata_text(after.metadata.as_ref()),
                after.updated_at,
            ])?;
            Ok(Some((after, true)))
        })
    }

    /// Replaces a live user's password hash (`None`: no password).
    pub fn set_password_hash(
        &self,
        id: &str,
        hash: Option<&str>,
    ) -> rusqlite::Result<Option<UserRow>> {
        self.write(|tx| {
            let n = tx
                .prepare_cached(
                    "UPDATE \"user\" SET password_hash = ?2, updated_at = ?3
                     WHERE id = ?1 AND deleted_at IS NULL",
                )?
                .execute(params![id, hash, js_now()])?;
            if n == 0 {
                return Ok(None);
            }
            live_user_tx(tx, id)
        })
    }

    /// Soft delete; unknown and already deleted ids are fine, as on the real server.
    pub fn soft_delete(&self, id: &str) -> rusqlite::Result<()> {
        self.write(|tx| {
            let now = js_now();
            tx.prepare_cached(
                "UPDATE \"user\" SET deleted_at = ?2, updated_at = ?2
                 WHERE id = ?1 AND deleted_at IS NULL",
            )?
            .execute(params![id, now])
            .map(drop)
        })
    }

    /// One page and the filtered total.
    pub fn list(&self, q: &ListQuery) -> rusqlite::Result<(Vec<UserRow>, u64)> {
        let mut filter = String::from("deleted_at IS NULL");
        let mut args: Vec<SqlValue> = Vec::new();
        // Which index counts the filtered total fastest, when the planner would pick a worse one.
        let mut count_index = "";
        if let Some(text) = &q.q {
            if text.contains(['%', '_', '\\', '\n']) {
                // ILIKE '%q%' on Postgres: wildcards in q stay wildcards, backslash escapes.
                filter.push_str(
                    " AND (email LIKE ? ESCAPE '\\' OR first_name LIKE ? ESCAPE '\\' \
                     OR last_name LIKE ? ESCAPE '\\')",
                );
                let pattern = format!("%{text}%");
                for _ in 0..3 {
                    args.push(SqlValue::Text(pattern.clone()));
                }
            } else {
                // The same match (ASCII case folded on both sides, like SQLite's LIKE) on the
                // indexed search text: the count reads the index alone.
                filter.push_str(" AND instr(search, ?) > 0");
                args.push(SqlValue::Text(text.to_ascii_lowercase()));
                count_index = " INDEXED BY user_search_live";
            }
        }
        let mut in_list = |column: &str, values: &[String], filter: &mut String| {
            filter.push_str(&format!(" AND {column} IN "));
            push_sql_list(filter, &mut args, values);
        };
        if let Some(ids) = &q.ids {
            in_list("id", ids, &mut filter);
        }
        if let Some(roles) = &q.roles {
            in_list("role", roles, &mut filter);
        }
        // Medusa v1's UserService drops the email, first_name and last_name filters when `q`
        // is given (it replaces them with the three ILIKE matches); other filters stay.
        for (column, value) in [
            ("email", &q.email),
            ("first_name", &q.first_name),
            ("last_name", &q.last_name),
        ] {
            if let Some(v) = value.as_ref().filter(|_| q.q.is_none()) {
                filter.push_str(&format!(" AND {column} = ?"));
                args.push(SqlValue::Text(v.clone()));
            }
        }
        for (column, cmp, value) in &q.dates {
            filter.push_str(&format!(" AND {} {} ?", column.name(), cmp.sql()));
            args.push(SqlValue::Text(value.clone()));
        }

        let dir = if q.descending { "DESC" } else { "ASC" };
        // Postgres sorts NULLs last going up and first going down, and the role enum in
        // declaration order (admin, member, developer); mirror both.
        let nulls = if q.descending { "FIRST" } else { "LAST" };
        let order = match q.order {
            Column::Id => format!("id {dir}"),
            Column::CreatedAt | Column::UpdatedAt | Column::Email => {
                format!("{} {dir}, id {dir}", q.order.name())
            }
            Column::Role => format!(
                "CASE role WHEN 'admin' THEN 0 WHEN 'member' THEN 1 ELSE 2 END {dir}, id {dir}"
            ),
            Column::DeletedAt
            | Column::FirstName
            | Column::LastName
            | Column::ApiToken
            | Column::Metadata => format!(
                "{} COLLATE NOCASE {dir} NULLS {nulls}, id {dir}",
                q.order.name()
            ),
        };
        let limit = q.limit.map_or(-1, |l| i64::try_from(l).unwrap_or(i64::MAX));
        let offset = i64::try_from(q.offset).unwrap_or(i64::MAX);
        let page_sql = format!(
            "SELECT {USER_COLUMNS} FROM \"user\" WHERE {filter} ORDER BY {order} LIMIT {limit} \
             OFFSET {offset}"
        );
        self.read(|c| {
            let rows = c
                .prepare_cached(&page_sql)?
                .query_map(params_from_iter(args.iter()), user_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            // A short page that starts inside the result already tells the total.
            let short = q.limit.is_none_or(|l| (rows.len() as u64) < l);
            let count = if short && (!rows.is_empty() || q.offset == 0) {
                q.offset + rows.len() as u64
            } else {
                let n: i64 = c
                    .prepare_cached(&format!(
                        "SELECT count(*) FROM \"user\"{count_index} WHERE {filter}"
                    ))?
                    .query_row(params_from_iter(args.iter()), |r| r.get(0))?;
                u64::try_from(n).unwrap_or(0)
            };
            Ok((rows, count))
        })
    }
}

fn live_user_tx(c: &Connection, id: &str) -> rusqlite::Result<Option<UserRow>> {
    c.prepare_cached(&format!(
        "SELECT {USER_COLUMNS} FROM \"user\" WHERE id = ?1 AND deleted_at IS NULL"
    ))?
    .query_row([id], user_from_row)
    .optional()
}

/// Inserts one user inside a caller's transaction (also used by seeding).
pub fn insert_user_tx(c: &Connection, u: &NewUser) -> Result<(), InsertError> {
    let result = c
        .prepare_cached(
            "INSERT INTO \"user\" (id, created_at, updated_at, role, email, first_name, last_name,
             password_hash, api_token, metadata) VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            u.id,
            u.created_at,
            u.role,
            u.email.to_lowercase(),
            u.first_name,
            u.last_name,
            u.password_hash,
            u.api_token,
            metadata_text(u.metadata.as_ref()),
        ]);
    match result {
        Ok(_) => Ok(()),
        Err(e) if is_email_conflict(&e) => Err(InsertError::DuplicateEmail),
        Err(e) => Err(e.into()),
    }
}

fn is_email_conflict(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(err, _)
        if err.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_user(store: &Store, email: &str) -> NewUser {
        NewUser {
            id: store.new_id(),
            created_at: js_now(),
            email: email.to_owned(),
            first_name: None,
            last_name: None,
            role: "member".to_owned(),
            password_hash: None,
            api_token: None,
            metadata: None,
        }
    }

    #[test]
    fn emails_are_unique_among_live_users_only() {
        let (store, fresh) = Store::open(None).unwrap();
        assert!(fresh);
        let a = store
            .insert_user(&new_user(&store, "Bob@Example.com"))
            .unwrap();
        assert_eq!(a.email, "bob@example.com");
        assert!(matches!(
            store.insert_user(&new_user(&store, "BOB@example.COM")),
            Err(InsertError::DuplicateEmail)
        ));
        store.soft_delete(&a.id).unwrap();
        assert!(store.live_user(&a.id).unwrap().is_none());
        store
            .insert_user(&new_user(&store, "bob@example.com"))
            .unwrap();
    }

    #[test]
    fn metadata_merges_and_empty_string_removes() {
        let (store, _) = Store::open(None).unwrap();
        let u = store
            .insert_user(&new_user(&store, "m@example.com"))
            .unwrap();
        let patch = |v: Value| UserChanges {
            metadata: v.as_object().cloned(),
            ..Default::default()
        };
        store
            .update_user(
                &u.id,
                &patch(serde_json::json!({"team": "ops", "level": 3})),
            )
            .unwrap();
        let (row, changed) = store
            .update_user(&u.id, &patch(serde_json::json!({"level": 4})))
            .unwrap()
            .unwrap();
        assert!(changed);
        assert_eq!(
            Value::Object(row.metadata.unwrap()),
            serde_json::json!({"team": "ops", "level": 4})
        );
        let (row, _) = store
            .update_user(&u.id, &patch(serde_json::json!({"team": ""})))
            .unwrap()
            .unwrap();
        assert_eq!(
            Value::Object(row.metadata.unwrap()),
            serde_json::json!({"level": 4})
        );
        let (_, changed) = store
            .update_user(&u.id, &UserChanges::default())
            .unwrap()
            .unwrap();
        assert!(!changed);
        assert!(
            store
                .update_user("usr_nope", &UserChanges::default())
                .unwrap()
                .is_none()
        );
    }

    fn search(store: &Store, q: &str, limit: Option<u64>) -> (Vec<String>, u64) {
        let (rows, count) = store
            .list(&ListQuery {
                q: Some(q.to_owned()),
                limit,
                ..ListQuery::default()
            })
            .unwrap();
        (rows.into_iter().map(|r| r.email).collect(), count)
    }

    #[test]
    fn indexed_search_matches_like_search() {
        let (store, _) = Store::open(None).unwrap();
        crate::sandbox::seed::seed(&store, 400).unwrap();
        for q in ["ANDERS", "a.ch", "example.org", "zz", "Ada", "admin@"] {
            // A trailing % changes nothing but takes the LIKE path.
            let fast = search(&store, q, None);
            assert_eq!(fast, search(&store, &format!("{q}%"), None), "{q}");
            let (page, count) = search(&store, q, Some(3));
            assert_eq!(count, fast.1, "{q}: count of a short page");
            assert_eq!(page, fast.0.iter().take(3).cloned().collect::<Vec<_>>());
        }
        assert!(search(&store, "ANDERS", None).1 > 10);
    }
}
