//! Medusa v2's users (`v2_user`) and emailpass auth identities (`v2_auth_identity`). They are
//! separate on the real server too: an identity exists from `register` on, and only becomes a
//! user's (its `app_metadata.user_id`) when an invite is accepted with it. Deleting a user
//! removes the identities linked to it, so their logins stop working (recording 09#11).

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::{Map, Value};

use super::listing::{self, Listing};
use super::{metadata_from, metadata_text};

#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: String,
    pub avatar_url: Option<String>,
    pub metadata: Option<Map<String, Value>>,
    pub created_at: String,
    pub updated_at: String,
    pub deleted_at: Option<String>,
}

const USER_COLUMNS: &str =
    "id, first_name, last_name, email, avatar_url, metadata, created_at, updated_at, deleted_at";

fn user_from_row(row: &Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: row.get(0)?,
        first_name: row.get(1)?,
        last_name: row.get(2)?,
        email: row.get(3)?,
        avatar_url: row.get(4)?,
        metadata: metadata_from(row.get(5)?),
        created_at: row.get(6)?,
        updated_at: row.get(7)?,
        deleted_at: row.get(8)?,
    })
}

/// An update: `Some(None)` clears a field; `metadata` is merged shallowly into the stored
/// object, a key sent as `""` is removed, one sent as `null` is kept as `null` (§6).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserPatch {
    pub first_name: Option<Option<String>>,
    pub last_name: Option<Option<String>>,
    pub avatar_url: Option<Option<String>>,
    pub metadata: Option<Option<Map<String, Value>>>,
}

pub fn live_user(c: &Connection, id: &str) -> rusqlite::Result<Option<User>> {
    c.prepare_cached(&format!(
        "SELECT {USER_COLUMNS} FROM v2_user WHERE id = ?1 AND deleted_at IS NULL"
    ))?
    .query_row([id], user_from_row)
    .optional()
}

/// By e-mail, exactly: v2 compares e-mails case-sensitively everywhere (§6).
pub fn live_user_by_email(c: &Connection, email: &str) -> rusqlite::Result<Option<User>> {
    c.prepare_cached(&format!(
        "SELECT {USER_COLUMNS} FROM v2_user WHERE email = ?1 AND deleted_at IS NULL"
    ))?
    .query_row([email], user_from_row)
    .optional()
}

pub fn list_users(c: &Connection, listing: &Listing) -> rusqlite::Result<(Vec<User>, u64)> {
    listing::list(
        c,
        "v2_user",
        USER_COLUMNS,
        "deleted_at IS NULL",
        listing,
        user_from_row,
    )
}

pub fn insert_user(c: &Connection, u: &User) -> rusqlite::Result<()> {
    c.prepare_cached(
        "INSERT INTO v2_user (id, first_name, last_name, email, avatar_url, metadata,
         created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )?
    .execute(params![
        u.id,
        u.first_name,
        u.last_name,
        u.email,
        u.avatar_url,
        metadata_text(u.metadata.as_ref()),
        u.created_at,
    ])
    .map(drop)
}

/// The updated user, or `None` when there is no live user with this id. An update that
/// changes nothing keeps `updated_at`.
pub fn update_user(c: &Connection, id: &str, patch: &UserPatch) -> rusqlite::Result<Option<User>> {
    let Some(before) = live_user(c, id)? else {
        return Ok(None);
    };
    let mut after = before.clone();
    if let Some(v) = &patch.first_name {
        after.first_name = v.clone();
    }
    if let Some(v) = &patch.last_name {
        after.last_name = v.clone();
    }
    if let Some(v) = &patch.avatar_url {
        after.avatar_url = v.clone();
    }
    match &patch.metadata {
        None => {}
        Some(None) => after.metadata = None,
        Some(Some(changes)) => {
            let mut merged = after.metadata.take().unwrap_or_default();
            for (k, v) in changes {
                if v.as_str() == Some("") {
                    merged.shift_remove(k);
                } else {
                    merged.insert(k.clone(), v.clone());
                }
            }
            after.metadata = Some(merged);
        }
    }
    if after == before {
        return Ok(Some(before));
    }
    after.updated_at = crate::sandbox::store::js_now();
    c.prepare_cached(
        "UPDATE v2_user SET first_name = ?2, last_name = ?3, avatar_url = ?4, metadata = ?5,
         updated_at = ?6 WHERE id = ?1",
    )?
    .execute(params![
        after.id,
        after.first_name,
        after.last_name,
        after.avatar_url,
        metadata_text(after.metadata.as_ref()),
        after.updated_at,
    ])?;
    Ok(Some(after))
}

/// A soft delete that also removes the user's auth identities; unknown ids are fine.
pub fn delete_user(c: &Connection, id: &str) -> rusqlite::Result<()> {
    let now = crate::sandbox::store::js_now();
    c.prepare_cached(
        "UPDATE v2_user SET deleted_at = ?2, updated_at = ?2 WHERE id = ?1 AND deleted_at IS NULL",
    )?
    .execute(params![id, now])?;
    c.prepare_cached("DELETE FROM v2_auth_identity WHERE user_id = ?1")?
        .execute([id])
        .map(drop)
}

/// An emailpass auth identity.
#[derive(custom_debug::Debug, Clone, PartialEq)]
pub struct Identity {
    pub id: String,
    /// The provider's `entity_id`: the e-mail exactly as registered.
    pub email: String,
    #[debug(with = crate::secret::redacted)]
    pub password_hash: String,
    pub user_id: Option<String>,
    /// The `jti` of the one reset token that still works.
    #[debug(with = crate::secret::redacted_option)]
    pub reset_jti: Option<String>,
}

const IDENTITY_COLUMNS: &str = "id, email, password_hash, user_id, reset_jti";

fn identity_from_row(row: &Row<'_>) -> rusqlite::Result<Identity> {
    Ok(Identity {
        id: row.get(0)?,
        email: row.get(1)?,
        password_hash: row.get(2)?,
        user_id: row.get(3)?,
        reset_jti: row.get(4)?,
    })
}

fn identity_where(c: &Connection, clause: &str, arg: &str) -> rusqlite::Result<Option<Identity>> {
    c.prepare_cached(&format!(
        "SELECT {IDENTITY_COLUMNS} FROM v2_auth_identity WHERE {clause} ORDER BY created_at, id \
         LIMIT 1"
    ))?
    .query_row([arg], identity_from_row)
    .optional()
}

pub fn identity_by_email(c: &Connection, email: &str) -> rusqlite::Result<Option<Identity>> {
    identity_where(c, "email = ?1", email)
}

pub fn identity_by_id(c: &Connection, id: &str) -> rusqlite::Result<Option<Identity>> {
    identity_where(c, "id = ?1", id)
}

/// The identity linked to a user (after an e-mail-mismatched accept it has another e-mail
/// than the user, recording 05#19).
pub fn identity_of_user(c: &Connection, user_id: &str) -> rusqlite::Result<Option<Identity>> {
    identity_where(c, "user_id = ?1", user_id)
}

pub fn insert_identity(c: &Connection, i: &Identity) -> rusqlite::Result<()> {
    let now = crate::sandbox::store::js_now();
    c.prepare_cached(
        "INSERT INTO v2_auth_identity (id, email, password_hash, user_id, reset_jti, created_at,
         updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
    )?
    .execute(params![
        i.id,
        i.email,
        i.password_hash,
        i.user_id,
        i.reset_jti,
        now
    ])
    .map(drop)
}

pub fn link_identity(c: &Connection, id: &str, user_id: &str) -> rusqlite::Result<()> {
    c.prepare_cached("UPDATE v2_auth_identity SET user_id = ?2 WHERE id = ?1")?
        .execute(params![id, user_id])
        .map(drop)
}

/// Makes `jti` the one working reset token (`None`: none works).
pub fn set_reset_jti(c: &Connection, id: &str, jti: Option<&str>) -> rusqlite::Result<()> {
    c.prepare_cached("UPDATE v2_auth_identity SET reset_jti = ?2 WHERE id = ?1")?
        .execute(params![id, jti])
        .map(drop)
}

pub fn set_password_hash(c: &Connection, id: &str, hash: &str) -> rusqlite::Result<()> {
    c.prepare_cached(
        "UPDATE v2_auth_identity SET password_hash = ?2, updated_at = ?3 WHERE id = ?1",
    )?
    .execute(params![id, hash, crate::sandbox::store::js_now()])
    .map(drop)
}
