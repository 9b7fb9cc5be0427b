//! What a v2 sandbox starts with: the admin `admin@medusa-test.com` / `supersecret` (a user and
//! its emailpass identity, as `medusa user -e … -p …` makes them), a secret API key with a
//! known token for tests and scripts, and optionally sample users (the same people as v1's
//! samples, without roles), each with an identity and the sample password.
//!
//! v2's tables are seeded the first time a v2 sandbox opens a database (a `meta` flag records
//! it), so a database made by a v1 sandbox gains a v2 side later.

use rusqlite::Connection;

use super::super::password::hash_password;
use super::super::seed::{SAMPLE_PASSWORD, sample};
use super::super::store::{Store, js_timestamp};
use super::super::{ADMIN_EMAIL, ADMIN_PASSWORD};
use super::db::api_keys::{self, ApiKey};
use super::db::users::{self, Identity, User};

/// The seeded secret API key (`Authorization: Basic <key>`), like v1's `ADMIN_API_TOKEN`.
/// The hex spells "sandbox-admin-secret-key-for-tes", so it is recognisable in logs.
pub const V2_ADMIN_SECRET_KEY: &str =
    "sk_73616e64626f782d61646d696e2d7365637265742d6b65792d666f722d746573";

const SEEDED: &str = "v2_seeded";
/// Sample users are this far apart, the newest just now (as for v1's samples).
const SPACING_MS: i64 = 7 * 60 * 1000;

fn insert_person(
    c: &Connection,
    store: &Store,
    user: User,
    password: &str,
) -> rusqlite::Result<()> {
    users::insert_user(c, &user)?;
    users::insert_identity(
        c,
        &Identity {
            id: store.new_prefixed_id("authid"),
            email: user.email.clone(),
            password_hash: hash_password(password),
            user_id: Some(user.id.clone()),
            reset_jti: None,
        },
    )
}

/// Seeds the v2 tables unless that was done before; whether it was done now.
pub fn seed_if_new(store: &Store, samples: usize) -> rusqlite::Result<bool> {
    if store.meta(SEEDED)?.is_some() {
        return Ok(false);
    }
    let now = time::OffsetDateTime::now_utc();
    let ms =
        |t: time::OffsetDateTime| u64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(0);
    let span = SPACING_MS * i64::try_from(samples).unwrap_or(i64::MAX / SPACING_MS / 2);
    let admin_at =
        now - time::Duration::milliseconds(if samples == 0 { 0 } else { span + SPACING_MS });
    // Ids carry their creation time, so the default order (id) is the creation order.
    let id_at = |t: time::OffsetDateTime, salt: u128| {
        format!("user_{}", ulid::Ulid::from_parts(ms(t), salt))
    };
    store.write(|tx| {
        let admin = User {
            id: id_at(admin_at, rand_salt()),
            first_name: None,
            last_name: None,
            email: ADMIN_EMAIL.to_owned(),
            avatar_url: None,
            metadata: None,
            created_at: js_timestamp(admin_at),
            updated_at: js_timestamp(admin_at),
            deleted_at: None,
        };
        let admin_id = admin.id.clone();
        insert_person(tx, store, admin, ADMIN_PASSWORD)?;
        let stamp = js_timestamp(now);
        api_keys::insert_key(
            tx,
            &ApiKey {
                id: store.new_prefixed_id("apk"),
                title: "sandbox admin key".to_owned(),
                kind: "secret".to_owned(),
                token: None,
                redacted: api_keys::redact(V2_ADMIN_SECRET_KEY),
                created_by: admin_id,
                revoked_by: None,
                revoked_at: None,
                created_at: stamp.clone(),
                updated_at: stamp,
            },
            V2_ADMIN_SECRET_KEY,
        )?;
        for i in 0..samples {
            let (email, first_name, last_name, _role) = sample(i);
            let ago = SPACING_MS * i64::try_from(samples - 1 - i).unwrap_or(0);
            let created = now - time::Duration::milliseconds(ago);
            let user = User {
                id: id_at(created, (i as u128) << 16),
                first_name,
                last_name,
                email,
                avatar_url: None,
                metadata: None,
                created_at: js_timestamp(created),
                updated_at: js_timestamp(created),
                deleted_at: None,
            };
            insert_person(tx, store, user, SAMPLE_PASSWORD)?;
        }
        tx.execute("INSERT INTO meta (key, value) VALUES (?1, '1')", [SEEDED])?;
        Ok(true)
    })
}

fn rand_salt() -> u128 {
    let mut raw = [0u8; 16];
    rand::fill(&mut raw[..]);
    u128::from_be_bytes(raw) >> 48
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_once_with_the_admin_first() {
        let (store, _) = Store::open(None).unwrap();
        assert!(seed_if_new(&store, 3).unwrap());
        assert!(!seed_if_new(&store, 3).unwrap(), "only once");
        let listing = super::super::db::listing::Listing {
            filters: vec![],
            order: "id",
            descending: false,
            limit: 10,
            offset: 0,
        };
        let (rows, count) = store.read(|c| users::list_users(c, &listing)).unwrap();
        assert_eq!(count, 4);
        assert_eq!(rows[0].email, ADMIN_EMAIL);
        let key = store
            .read(|c| api_keys::live_secret_key(c, V2_ADMIN_SECRET_KEY))
            .unwrap()
            .unwrap();
        assert_eq!(key.created_by, rows[0].id);
        assert_eq!(V2_ADMIN_SECRET_KEY.len(), 3 + 64);
    }
}
