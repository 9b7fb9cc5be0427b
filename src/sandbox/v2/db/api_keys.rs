//! Medusa v2's API keys (`v2_api_key`). A secret key's token is shown once, at creation; the
//! table keeps only its SHA-256 (the real server keeps a salted scrypt hash, which is why its
//! key checks cost ~40 ms; a sandbox has no attacker to slow down).

use rusqlite::{Connection, OptionalExtension, Row, params};
use sha2::{Digest, Sha256};

use super::listing::{self, Listing};

#[derive(custom_debug::Debug, Clone, PartialEq)]
pub struct ApiKey {
    pub id: String,
    pub title: String,
    /// `secret` or `publishable`.
    pub kind: String,
    /// Publishable keys only: they are public and shown in full.
    #[debug(with = crate::secret::redacted_option)]
    pub token: Option<String>,
    pub redacted: String,
    pub created_by: String,
    pub revoked_by: Option<String>,
    pub revoked_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

const KEY_COLUMNS: &str =
    "id, title, type, token, redacted, created_by, revoked_by, revoked_at, created_at, updated_at";

fn key_from_row(row: &Row<'_>) -> rusqlite::Result<ApiKey> {
    Ok(ApiKey {
        id: row.get(0)?,
        title: row.get(1)?,
        kind: row.get(2)?,
        token: row.get(3)?,
        redacted: row.get(4)?,
        created_by: row.get(5)?,
        revoked_by: row.get(6)?,
        revoked_at: row.get(7)?,
        created_at: row.get(8)?,
        updated_at: row.get(9)?,
    })
}

pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `sk_f2c***863`: the prefix and three characters at each end of the random part.
pub fn redact(token: &str) -> String {
    let (prefix, rest) = token.split_at_checked(3).unwrap_or(("", token));
    let chars: Vec<char> = rest.chars().collect();
    let head: String = chars.iter().take(3).collect();
    let tail: String = chars[chars.len().saturating_sub(3)..].iter().collect();
    format!("{prefix}{head}***{tail}")
}

pub fn insert_key(c: &Connection, k: &ApiKey, token: &str) -> rusqlite::Result<()> {
    c.prepare_cached(
        "INSERT INTO v2_api_key (id, title, type, token, token_hash, redacted, created_by,
         created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        k.id,
        k.title,
        k.kind,
        k.token,
        token_hash(token),
        k.redacted,
        k.created_by,
        k.created_at,
        k.updated_at,
    ])
    .map(drop)
}

pub fn key_by_id(c: &Connection, id: &str) -> rusqlite::Result<Option<ApiKey>> {
    c.prepare_cached(&format!(
        "SELECT {KEY_COLUMNS} FROM v2_api_key WHERE id = ?1"
    ))?
    .query_row([id], key_from_row)
    .optional()
}

/// The unrevoked secret key with this token, if any.
pub fn live_secret_key(c: &Connection, token: &str) -> rusqlite::Result<Option<ApiKey>> {
    c.prepare_cached(&format!(
        "SELECT {KEY_COLUMNS} FROM v2_api_key WHERE token_hash = ?1 AND type = 'secret'
         AND revoked_at IS NULL"
    ))?
    .query_row([token_hash(token)], key_from_row)
    .optional()
}

pub fn list_keys(c: &Connection, listing: &Listing) -> rusqlite::Result<(Vec<ApiKey>, u64)> {
    listing::list(c, "v2_api_key", KEY_COLUMNS, "1 = 1", listing, key_from_row)
}

/// Revokes now, by `actor`; an already revoked key keeps its first revocation.
pub fn revoke_key(c: &Connection, id: &str, actor: &str, now: &str) -> rusqlite::Result<()> {
    c.prepare_cached(
        "UPDATE v2_api_key SET revoked_at = ?3, revoked_by = ?2, updated_at = ?3
         WHERE id = ?1 AND revoked_at IS NULL",
    )?
    .execute(params![id, actor, now])
    .map(drop)
}

pub fn set_title(c: &Connection, id: &str, title: &str, now: &str) -> rusqlite::Result<()> {
    c.prepare_cached("UPDATE v2_api_key SET title = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, title, now])
        .map(drop)
}

pub fn delete_key(c: &Connection, id: &str) -> rusqlite::Result<()> {
    c.prepare_cached("DELETE FROM v2_api_key WHERE id = ?1")?
        .execute([id])
        .map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_like_medusa() {
        assert_eq!(
            redact("sk_f2cd4a796245ef15ccd648a1b8b38cda9c00515f9a3b1a6ddf65dcb6bcafa863"),
            "sk_f2c***863"
        );
        assert_eq!(token_hash("a").len(), 64);
    }
}
