//! Medusa v2's invites (`v2_invite`): one pending invite per exact e-mail; accepted and deleted
//! invites are gone (the real server soft-deletes them, and no route shows those rows again).

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::{Map, Value};

use super::listing::{self, Listing};
use super::{metadata_from, metadata_text};

#[derive(custom_debug::Debug, Clone, PartialEq)]
pub struct Invite {
    pub id: String,
    pub email: String,
    #[debug(with = crate::secret::redacted)]
    pub token: String,
    pub expires_at: String,
    pub metadata: Option<Map<String, Value>>,
    pub created_at: String,
    pub updated_at: String,
}

const INVITE_COLUMNS: &str = "id, email, token, expires_at, metadata, created_at, updated_at";

fn invite_from_row(row: &Row<'_>) -> rusqlite::Result<Invite> {
    Ok(Invite {
        id: row.get(0)?,
        email: row.get(1)?,
        token: row.get(2)?,
        expires_at: row.get(3)?,
        metadata: metadata_from(row.get(4)?),
        created_at: row.get(5)?,
        updated_at: row.get(6)?,
    })
}

pub fn invite_by_id(c: &Connection, id: &str) -> rusqlite::Result<Option<Invite>> {
    c.prepare_cached(&format!(
        "SELECT {INVITE_COLUMNS} FROM v2_invite WHERE id = ?1"
    ))?
    .query_row([id], invite_from_row)
    .optional()
}

pub fn invite_by_email(c: &Connection, email: &str) -> rusqlite::Result<Option<Invite>> {
    c.prepare_cached(&format!(
        "SELECT {INVITE_COLUMNS} FROM v2_invite WHERE email = ?1"
    ))?
    .query_row([email], invite_from_row)
    .optional()
}

pub fn list_invites(c: &Connection, listing: &Listing) -> rusqlite::Result<(Vec<Invite>, u64)> {
    listing::list(
        c,
        "v2_invite",
        INVITE_COLUMNS,
        "1 = 1",
        listing,
        invite_from_row,
    )
}

pub fn insert_invite(c: &Connection, i: &Invite) -> rusqlite::Result<()> {
    c.prepare_cached(
        "INSERT INTO v2_invite (id, email, token, expires_at, metadata, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        i.id,
        i.email,
        i.token,
        i.expires_at,
        metadata_text(i.metadata.as_ref()),
        i.created_at,
        i.updated_at,
    ])
    .map(drop)
}

/// A resend: the new token replaces the old one, which stops working.
pub fn renew_invite(
    c: &Connection,
    id: &str,
    token: &str,
    expires_at: &str,
    now: &str,
) -> rusqlite::Result<()> {
    c.prepare_cached(
        "UPDATE v2_invite SET token = ?2, expires_at = ?3, updated_at = ?4 WHERE id = ?1",
    )?
    .execute(params![id, token, expires_at, now])
    .map(drop)
}

pub fn delete_invite(c: &Connection, id: &str) -> rusqlite::Result<()> {
    c.prepare_cached("DELETE FROM v2_invite WHERE id = ?1")?
        .execute([id])
        .map(drop)
}
