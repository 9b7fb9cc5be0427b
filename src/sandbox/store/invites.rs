//! Medusa v1's invites: the `invite` table and what the v1 invite routes do to it. The rules
//! are the real server's (CONTRACT.md, "Invites"): one row per exact e-mail, re-inviting renews
//! that row, accept creates the user and hard-deletes the row in one transaction.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::{Map, Value};

use super::users::{InsertError, NewUser, insert_user_tx};
use super::{Store, js_now, js_timestamp};

/// How long a v1 invite stays acceptable: 7 days from create, re-invite or resend.
pub const INVITE_TTL: time::Duration = time::Duration::days(7);

#[derive(custom_debug::Debug, Clone, PartialEq)]
pub struct InviteRow {
    pub id: String,
    pub created_at: String,
    pub updated_at: String,
    pub user_email: String,
    pub role: String,
    #[debug(with = crate::secret::redacted)]
    pub token: String,
    pub expires_at: String,
    pub metadata: Option<Map<String, Value>>,
}

const INVITE_COLUMNS: &str =
    "id, created_at, updated_at, user_email, role, token, expires_at, metadata";

fn invite_from_row(row: &Row<'_>) -> rusqlite::Result<InviteRow> {
    let metadata: Option<String> = row.get(7)?;
    Ok(InviteRow {
        id: row.get(0)?,
        created_at: row.get(1)?,
        updated_at: row.get(2)?,
        user_email: row.get(3)?,
        role: row.get(4)?,
        token: row.get(5)?,
        expires_at: row.get(6)?,
        metadata: super::metadata_from(metadata),
    })
}

/// When an invite made or renewed now expires.
pub fn invite_expiry(now: time::OffsetDateTime) -> String {
    js_timestamp(now + INVITE_TTL)
}

/// Why an accept was refused, in the order the real server checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptRefused {
    /// No such row, another e-mail in the token, or past `expires_at`.
    InvalidInvite,
    /// A live user has the invited e-mail (in any letter case).
    UserAlreadyJoined,
}

/// What accepting creates.
pub struct Acceptance<'a> {
    pub invite_id: &'a str,
    /// The token's `user_email` claim, which must be the row's exactly.
    pub claimed_email: &'a str,
    pub user_id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub password_hash: Option<String>,
}

fn invite_by_id_tx(c: &Connection, id: &str) -> rusqlite::Result<Option<InviteRow>> {
    c.prepare_cached(&format!(
        "SELECT {INVITE_COLUMNS} FROM invite WHERE id = ?1"
    ))?
    .query_row([id], invite_from_row)
    .optional()
}

impl Store {
    /// Every invite, oldest first (the real server has no order at all; see `deviations`).
    pub fn invites(&self) -> rusqlite::Result<Vec<InviteRow>> {
        self.read(|c| {
            c.prepare_cached(&format!(
                "SELECT {INVITE_COLUMNS} FROM invite ORDER BY created_at, id"
            ))?
            .query_map([], invite_from_row)?
            .collect()
        })
    }

    /// `POST /admin/invites`: a new row, or the existing row for exactly this e-mail renewed
    /// (role, token, `updated_at`, `expires_at`; same id and `created_at`). `token` gets the
    /// row's id and makes its token. `None` when a live user has exactly this e-mail.
    pub fn invite(
        &self,
        user_email: &str,
        role: &str,
        new_id: String,
        token: impl FnOnce(&str) -> Result<String, jsonwebtoken::errors::Error>,
    ) -> Result<Option<InviteRow>, InviteError> {
        self.write(|tx| {
            // An exact match against stored (lower-cased) e-mails: ALICE@x slips through, and
            // deleted users do not count (recordings 229, 230, 281).
            let taken: Option<String> = tx
                .prepare_cached("SELECT id FROM \"user\" WHERE email = ?1 AND deleted_at IS NULL")?
                .query_row([user_email], |r| r.get(0))
                .optional()?;
            if taken.is_some() {
                return Ok(None);
            }
            let now = time::OffsetDateTime::now_utc();
            let stamp = js_timestamp(now);
            let existing: Option<String> = tx
                .prepare_cached("SELECT id FROM invite WHERE user_email = ?1")?
                .query_row([user_email], |r| r.get(0))
                .optional()?;
            let id = existing.unwrap_or(new_id);
            let token = token(&id).map_err(InviteError::Token)?;
            tx.prepare_cached(
                "INSERT INTO invite (id, created_at, updated_at, user_email, role, token,
                 expires_at) VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (user_email) DO UPDATE SET updated_at = excluded.updated_at,
                 role = excluded.role, token = excluded.token, expires_at = excluded.expires_at",
            )?
            .execute(params![
                id,
                stamp,
                user_email,
                role,
                token,
                invite_expiry(now)
            ])?;
            let row = invite_by_id_tx(tx, &id)?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
            Ok(Some(row))
        })
    }

    /// `POST /admin/invites/:id/resend`: a fresh token and expiry, even for an expired invite.
    /// `None` when there is no such invite.
    pub fn resend_invite(
        &self,
        id: &str,
        token: impl FnOnce(&InviteRow) -> Result<String, jsonwebtoken::errors::Error>,
    ) -> Result<Option<InviteRow>, InviteError> {
        self.write(|tx| {
            let Some(row) = invite_by_id_tx(tx, id)? else {
                return Ok(None);
            };
            let token = token(&row).map_err(InviteError::Token)?;
            let now = time::OffsetDateTime::now_utc();
            tx.prepare_cached(
                "UPDATE invite SET token = ?2, expires_at = ?3, updated_at = ?4 WHERE id = ?1",
            )?
            .execute(params![id, token, invite_expiry(now), js_timestamp(now)])?;
            let row = invite_by_id_tx(tx, id)?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
            Ok(Some(row))
        })
    }

    /// A hard delete; unknown ids are fine.
    pub fn delete_invite(&self, id: &str) -> rusqlite::Result<()> {
        self.write(|tx| {
            tx.prepare_cached("DELETE FROM invite WHERE id = ?1")?
                .execute([id])
                .map(drop)
        })
    }

    /// `POST /admin/invites/accept` past the token's signature: checks the row, creates the
    /// user with the row's role and lower-cased e-mail, deletes the row, all or nothing.
    pub fn accept_invite(
        &self,
        a: &Acceptance<'_>,
    ) -> Result<Result<String, AcceptRefused>, InsertError> {
        self.write(|tx| {
            let row = invite_by_id_tx(tx, a.invite_id)?;
            let Some(row) =
                row.filter(|r| r.user_email == a.claimed_email && js_now() <= r.expires_at)
            else {
                return Ok(Err(AcceptRefused::InvalidInvite));
            };
            let email = row.user_email.to_lowercase();
            let joined: Option<String> = tx
                .prepare_cached(
                    "SELECT id FROM \"user\" WHERE lower(email) = ?1 AND deleted_at IS NULL",
                )?
                .query_row([&email], |r| r.get(0))
                .optional()?;
            if joined.is_some() {
                return Ok(Err(AcceptRefused::UserAlreadyJoined));
            }
            insert_user_tx(
                tx,
                &NewUser {
                    id: a.user_id.clone(),
                    created_at: js_now(),
                    email,
                    first_name: a.first_name.clone(),
                    last_name: a.last_name.clone(),
                    role: row.role.clone(),
                    password_hash: a.password_hash.clone(),
                    api_token: None,
                    metadata: None,
                },
            )?;
            tx.prepare_cached("DELETE FROM invite WHERE id = ?1")?
                .execute([&row.id])?;
            Ok(Ok(a.user_id.clone()))
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum InviteError {
    #[error("cannot sign the invite token: {0}")]
    Token(jsonwebtoken::errors::Error),
    #[error(transparent)]
    Sql(#[from] rusqlite::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(id: &str) -> Result<String, jsonwebtoken::errors::Error> {
        Ok(format!("token-for-{id}"))
    }

    #[test]
    fn reinviting_renews_the_same_row_and_case_makes_another() {
        let (store, _) = Store::open(None).unwrap();
        let a = store
            .invite("zoe@x.co", "member", store.new_prefixed_id("invite"), token)
            .unwrap()
            .unwrap();
        let again = store
            .invite("zoe@x.co", "admin", store.new_prefixed_id("invite"), token)
            .unwrap()
            .unwrap();
        assert_eq!(
            (again.id.as_str(), again.role.as_str()),
            (a.id.as_str(), "admin")
        );
        assert_eq!(again.created_at, a.created_at);
        store
            .invite("Zoe@X.co", "member", store.new_prefixed_id("invite"), token)
            .unwrap()
            .unwrap();
        assert_eq!(store.invites().unwrap().len(), 2);
    }

    #[test]
    fn accept_checks_in_the_real_order_and_deletes_the_row() {
        let (store, _) = Store::open(None).unwrap();
        let row = store
            .invite(
                "Ann@x.co",
                "developer",
                store.new_prefixed_id("invite"),
                token,
            )
            .unwrap()
            .unwrap();
        let acceptance = |claimed: &'static str, user_id: String| Acceptance {
            invite_id: "",
            claimed_email: claimed,
            user_id,
            first_name: None,
            last_name: None,
            password_hash: None,
        };
        let mut wrong = acceptance("ann@x.co", store.new_id());
        wrong.invite_id = &row.id;
        assert_eq!(
            store.accept_invite(&wrong).unwrap(),
            Err(AcceptRefused::InvalidInvite),
            "the claim must match the row's case"
        );
        let mut ok = acceptance("Ann@x.co", store.new_id());
        ok.invite_id = &row.id;
        let id = store.accept_invite(&ok).unwrap().unwrap();
        let user = store.live_user(&id).unwrap().unwrap();
        assert_eq!(
            (user.email.as_str(), user.role.as_str()),
            ("ann@x.co", "developer")
        );
        assert!(store.invites().unwrap().is_empty());
        assert_eq!(
            store.accept_invite(&ok).unwrap(),
            Err(AcceptRefused::InvalidInvite)
        );
        let other = store
            .invite("ANN@x.co", "member", store.new_prefixed_id("invite"), token)
            .unwrap()
            .unwrap();
        let mut dup = acceptance("ANN@x.co", store.new_id());
        dup.invite_id = &other.id;
        assert_eq!(
            store.accept_invite(&dup).unwrap(),
            Err(AcceptRefused::UserAlreadyJoined)
        );
        assert_eq!(
            store.invites().unwrap().len(),
            1,
            "a refused accept keeps the row"
        );
        assert!(
            store
                .invite("ann@x.co", "member", store.new_prefixed_id("invite"), token)
                .unwrap()
                .is_none(),
            "an exact match with a live user is refused"
        );
    }
}
