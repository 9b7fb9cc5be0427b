//! The three kinds of JWT Medusa v1 issues, all HS256:
//!
//! * admin API tokens from `POST /admin/auth/token`: `{user_id, domain:"admin", iat, exp}` signed
//!   with the server's `jwt_secret`, valid 24 h, never checked against the database;
//! * password-reset tokens: `{user_id, email, exp, iat}` signed with the user's password-hash
//!   *text* as the key, valid 15 min, so they die as soon as the password changes;
//! * invite tokens: `{invite_id, role, user_email, iat}` signed with `jwt_secret`, with no `exp`
//!   (the invite row's `expires_at` is the only expiry) and no `domain`, so they never pass as
//!   admin tokens.
//!
//! Verification follows the npm `jsonwebtoken` defaults Medusa relies on: no claim is
//! required, `exp`/`nbf` are checked when present, with no clock leeway.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// How long an admin API token lives.
pub const ADMIN_TOKEN_TTL_SECS: u64 = 24 * 60 * 60;
/// How long a password-reset token lives.
pub const RESET_TOKEN_TTL_SECS: u64 = 15 * 60;

/// Claims of an admin API token, in the order Medusa writes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminClaims {
    pub user_id: String,
    pub domain: String,
    pub iat: u64,
    pub exp: u64,
}

/// Claims of a password-reset token, in the order Medusa writes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetClaims {
    pub user_id: String,
    pub email: String,
    pub exp: u64,
    pub iat: u64,
}

pub fn now_secs() -> u64 {
    jsonwebtoken::get_current_timestamp()
}

fn sign<T: Serialize>(claims: &T, key: &[u8]) -> Result<String, jsonwebtoken::errors::Error> {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(key),
    )
}

/// npm `jsonwebtoken.verify` semantics.
fn npm_validation() -> Validation {
    let mut v = Validation::new(Algorithm::HS256);
    v.required_spec_claims.clear();
    v.leeway = 0;
    v.validate_exp = true;
    v.validate_nbf = true;
    v.validate_aud = false;
    v
}

/// Verifies signature and expiry; the claims as JSON.
fn verify(token: &str, key: &[u8]) -> Option<Map<String, Value>> {
    let data = jsonwebtoken::decode::<Map<String, Value>>(
        token,
        &DecodingKey::from_secret(key),
        &npm_validation(),
    )
    .ok()?;
    Some(data.claims)
}

pub fn mint_admin_token(
    jwt_secret: &str,
    user_id: &str,
    now: u64,
) -> Result<String, jsonwebtoken::errors::Error> {
    sign(
        &AdminClaims {
            user_id: user_id.to_owned(),
            domain: "admin".to_owned(),
            iat: now,
            exp: now + ADMIN_TOKEN_TTL_SECS,
        },
        jwt_secret.as_bytes(),
    )
}

/// The `user_id` of a valid admin token: right signature, not expired, `domain` "admin".
pub fn verify_admin_token(jwt_secret: &str, token: &str) -> Option<String> {
    let claims = verify(token, jwt_secret.as_bytes())?;
    if claims.get("domain").and_then(Value::as_str) != Some("admin") {
        return None;
    }
    claims
        .get("user_id")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

pub fn mint_reset_token(
    password_hash: &str,
    user_id: &str,
    email: &str,
    now: u64,
) -> Result<String, jsonwebtoken::errors::Error> {
    sign(
        &ResetClaims {
            user_id: user_id.to_owned(),
            email: email.to_owned(),
            exp: now + RESET_TOKEN_TTL_SECS,
            iat: now,
        },
        password_hash.as_bytes(),
    )
}

/// The claims of a reset token whose signature checks out against `password_hash` and that
/// has not expired.
pub fn verify_reset_token(password_hash: &str, token: &str) -> Option<Map<String, Value>> {
    verify(token, password_hash.as_bytes())
}

/// Claims of a v1 invite token, in the order Medusa writes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteClaims {
    pub invite_id: String,
    pub role: String,
    pub user_email: String,
    pub iat: u64,
}

pub fn mint_invite_token(
    jwt_secret: &str,
    claims: &InviteClaims,
) -> Result<String, jsonwebtoken::errors::Error> {
    sign(claims, jwt_secret.as_bytes())
}

/// The claims of an invite token whose signature (and `exp`, when it has one) checks out; the
/// claims themselves are the caller's business (an admin JWT passes here too, as on the real
/// server, and then names no invite).
pub fn verify_invite_token(jwt_secret: &str, token: &str) -> Option<Map<String, Value>> {
    verify(token, jwt_secret.as_bytes())
}

/// The payload of a JWT without checking anything, like npm `jwt.decode`: `None` unless the
/// token has three parts and a JSON object header and payload.
pub fn peek_claims(token: &str) -> Option<Map<String, Value>> {
    let mut parts = token.split('.');
    let (header, payload, _sig) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
    if !header.is_object() {
        return None;
    }
    match serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()? {
        Value::Object(claims) => Some(claims),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_tokens_round_trip_and_need_the_admin_domain() {
        let t = mint_admin_token("s3cret", "usr_1", now_secs()).unwrap();
        assert_eq!(verify_admin_token("s3cret", &t).as_deref(), Some("usr_1"));
        assert_eq!(verify_admin_token("other", &t), None);
        let store = sign(
            &serde_json::json!({"customer_id": "cus_1", "domain": "store"}),
            b"s3cret",
        )
        .unwrap();
        assert_eq!(verify_admin_token("s3cret", &store), None);
        let claims = peek_claims(&t).unwrap();
        let keys: Vec<&str> = claims.keys().map(String::as_str).collect();
        assert_eq!(keys, ["user_id", "domain", "iat", "exp"]);
        assert_eq!(
            claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(),
            86_400
        );
    }

    #[test]
    fn tokens_without_exp_are_accepted_like_npm_jsonwebtoken() {
        let t = sign(
            &serde_json::json!({"user_id": "usr_1", "domain": "admin"}),
            b"k",
        )
        .unwrap();
        assert_eq!(verify_admin_token("k", &t).as_deref(), Some("usr_1"));
    }

    #[test]
    fn reset_tokens_expire_and_die_with_the_hash() {
        let now = now_secs();
        let t = mint_reset_token("hash-a", "usr_1", "a@b.co", now).unwrap();
        assert!(verify_reset_token("hash-a", &t).is_some());
        assert!(verify_reset_token("hash-b", &t).is_none());
        let old = mint_reset_token("hash-a", "usr_1", "a@b.co", now - 3600).unwrap();
        assert!(verify_reset_token("hash-a", &old).is_none());
        assert_eq!(peek_claims(&old).unwrap()["email"], "a@b.co");
    }

    #[test]
    fn invite_tokens_have_no_exp_and_are_not_admin_tokens() {
        let claims = InviteClaims {
            invite_id: "invite_1".into(),
            role: "member".into(),
            user_email: "A@b.co".into(),
            iat: now_secs(),
        };
        let t = mint_invite_token("s", &claims).unwrap();
        let keys: Vec<String> = peek_claims(&t).unwrap().keys().cloned().collect();
        assert_eq!(keys, ["invite_id", "role", "user_email", "iat"]);
        assert_eq!(
            verify_invite_token("s", &t).unwrap()["user_email"],
            "A@b.co"
        );
        assert!(verify_invite_token("other", &t).is_none());
        assert_eq!(verify_admin_token("s", &t), None);
        let expired = sign(
            &serde_json::json!({"invite_id": "invite_1", "exp": now_secs() - 60}),
            b"s",
        )
        .unwrap();
        assert!(verify_invite_token("s", &expired).is_none());
    }

    #[test]
    fn peek_rejects_what_is_not_a_jwt() {
        for bad in ["garbage", "a.b.c", "", "...", "e30.e30.x.y"] {
            assert!(peek_claims(bad).is_none(), "{bad}");
        }
        assert!(
            peek_claims("e30.e30.").is_some(),
            "{{}}.{{}} with an empty signature decodes"
        );
    }
}
