//! The JWTs Medusa 2.21 issues, all HS256 with the server's `jwt_secret` (CONTRACT.md §3):
//!
//! * auth tokens from `/auth/:actor/emailpass` (login, register, refresh): the auth context
//!   `{actor_id, actor_type, auth_identity_id, auth_provider, mfa_enabled,
//!   mfa_challenge_completed_at, app_metadata, user_metadata, iat, exp}`, 24 h. `actor_id` is
//!   `""` for an identity with no user yet (a fresh registration);
//! * invite tokens `{id, email, iat, exp, jti}`, 24 h;
//! * password-reset tokens `{entity_id, provider, actor_type, purpose:"reset", iat, exp, jti}`,
//!   15 min. The server keeps the newest `jti` per identity, which makes them single-use and
//!   lets a new one void the older ones.
//!
//! Verification follows npm `jsonwebtoken`: signature, then `exp` when present, no leeway.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::{Map, Value, json};

pub use crate::sandbox::tokens::now_secs;
#[cfg(test)]
use crate::sandbox::tokens::peek_claims;

/// Auth and invite tokens live a day (Medusa's default `jwtExpiresIn`).
pub const AUTH_TOKEN_TTL_SECS: u64 = 24 * 60 * 60;
pub const INVITE_TOKEN_TTL_SECS: u64 = 24 * 60 * 60;
pub const RESET_TOKEN_TTL_SECS: u64 = 15 * 60;

fn sign(claims: &Value, secret: &str) -> Result<String, jsonwebtoken::errors::Error> {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
}

/// The claims of a token whose signature and expiry check out.
pub fn verify(secret: &str, token: &str) -> Option<Map<String, Value>> {
    let mut v = Validation::new(Algorithm::HS256);
    v.required_spec_claims.clear();
    v.leeway = 0;
    v.validate_aud = false;
    jsonwebtoken::decode::<Map<String, Value>>(
        token,
        &DecodingKey::from_secret(secret.as_bytes()),
        &v,
    )
    .ok()
    .map(|d| d.claims)
}

/// Who an auth token speaks for, before `iat`/`exp` are added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthSubject {
    pub actor_type: String,
    /// `""` when the identity has no actor of this type yet.
    pub actor_id: String,
    pub auth_identity_id: String,
    /// The identity's `app_metadata.user_id`, shared by every actor type (a customer token
    /// for an admin's e-mail carries it too, recording 11#10).
    pub user_id: Option<String>,
}

impl AuthSubject {
    /// The subject for `actor_type` of an identity linked to `user_id` (if any). Only users
    /// exist in the sandbox, so other actor types never have an actor.
    pub fn new(actor_type: &str, auth_identity_id: &str, user_id: Option<&str>) -> Self {
        let actor_id = match (actor_type, user_id) {
            ("user", Some(id)) => id.to_owned(),
            _ => String::new(),
        };
        AuthSubject {
            actor_type: actor_type.to_owned(),
            actor_id,
            auth_identity_id: auth_identity_id.to_owned(),
            user_id: user_id.map(str::to_owned),
        }
    }

    /// The auth context, in the key order Medusa writes it (recording 01 notes).
    pub fn claims(&self, now: u64) -> Value {
        let app_metadata = match &self.user_id {
            Some(id) => json!({ "user_id": id }),
            None => json!({}),
        };
        json!({
            "actor_id": self.actor_id,
            "actor_type": self.actor_type,
            "auth_identity_id": self.auth_identity_id,
            "auth_provider": "emailpass",
            "mfa_enabled": false,
            "mfa_challenge_completed_at": null,
            "app_metadata": app_metadata,
            "user_metadata": {},
            "iat": now,
            "exp": now + AUTH_TOKEN_TTL_SECS,
        })
    }
}

pub fn mint_auth_token(
    secret: &str,
    subject: &AuthSubject,
    now: u64,
) -> Result<String, jsonwebtoken::errors::Error> {
    sign(&subject.claims(now), secret)
}

/// An auth context read back from a token or a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthContext {
    pub actor_type: String,
    pub actor_id: String,
    pub auth_identity_id: String,
}

impl AuthContext {
    pub fn from_claims(claims: &Map<String, Value>) -> Option<AuthContext> {
        let text = |k: &str| claims.get(k).and_then(Value::as_str).map(str::to_owned);
        Some(AuthContext {
            actor_type: text("actor_type")?,
            actor_id: text("actor_id")?,
            auth_identity_id: text("auth_identity_id")?,
        })
    }
}

/// A fresh `jti`, a UUID like Medusa's.
fn jti() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// An invite token and its `exp`.
pub fn mint_invite_token(
    secret: &str,
    invite_id: &str,
    email: &str,
    now: u64,
) -> Result<(String, u64), jsonwebtoken::errors::Error> {
    let exp = now + INVITE_TOKEN_TTL_SECS;
    let claims = json!({"id": invite_id, "email": email, "iat": now, "exp": exp, "jti": jti()});
    Ok((sign(&claims, secret)?, exp))
}

/// A reset token for the identity `email` and its `jti`.
pub fn mint_reset_token(
    secret: &str,
    email: &str,
    now: u64,
) -> Result<(String, String), jsonwebtoken::errors::Error> {
    let id = jti();
    let claims = json!({
        "entity_id": email,
        "provider": "emailpass",
        "actor_type": "user",
        "purpose": "reset",
        "iat": now,
        "exp": now + RESET_TOKEN_TTL_SECS,
        "jti": id,
    });
    Ok((sign(&claims, secret)?, id))
}

/// `(entity_id, jti)` of a valid reset token: right signature, not expired, `purpose` reset
/// (a login token is refused here, recording 10#7).
pub fn verify_reset_token(secret: &str, token: &str) -> Option<(String, String)> {
    let claims = verify(secret, token)?;
    if claims.get("purpose").and_then(Value::as_str) != Some("reset") {
        return None;
    }
    let text = |k: &str| claims.get(k).and_then(Value::as_str).map(str::to_owned);
    Some((text("entity_id")?, text("jti")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(token: &str) -> Vec<String> {
        peek_claims(token).unwrap().keys().cloned().collect()
    }

    #[test]
    fn auth_tokens_carry_the_context_in_medusas_order() {
        let s = AuthSubject::new("user", "authid_1", Some("user_1"));
        let t = mint_auth_token("k", &s, now_secs()).unwrap();
        assert_eq!(
            keys(&t),
            [
                "actor_id",
                "actor_type",
                "auth_identity_id",
                "auth_provider",
                "mfa_enabled",
                "mfa_challenge_completed_at",
                "app_metadata",
                "user_metadata",
                "iat",
                "exp"
            ]
        );
        let c = verify("k", &t).unwrap();
        assert_eq!(
            c["exp"].as_u64().unwrap() - c["iat"].as_u64().unwrap(),
            86_400
        );
        let ctx = AuthContext::from_claims(&c).unwrap();
        assert_eq!(
            (ctx.actor_id.as_str(), ctx.actor_type.as_str()),
            ("user_1", "user")
        );
        assert!(verify("other", &t).is_none());
        // A customer token for an admin's identity: no actor, the user id still in metadata.
        let customer = AuthSubject::new("customer", "authid_1", Some("user_1")).claims(1);
        assert_eq!(customer["actor_id"], "");
        assert_eq!(customer["app_metadata"]["user_id"], "user_1");
        assert_eq!(
            AuthSubject::new("user", "a", None).claims(1)["app_metadata"],
            json!({})
        );
    }

    #[test]
    fn invite_and_reset_tokens() {
        let (t, exp) = mint_invite_token("k", "invite_1", "A@x.co", 100).unwrap();
        assert_eq!(keys(&t), ["id", "email", "iat", "exp", "jti"]);
        assert_eq!(exp, 100 + 86_400);
        let now = now_secs();
        let (r, jti) = mint_reset_token("k", "a@x.co", now).unwrap();
        assert_eq!(
            keys(&r),
            [
                "entity_id",
                "provider",
                "actor_type",
                "purpose",
                "iat",
                "exp",
                "jti"
            ]
        );
        assert_eq!(
            verify_reset_token("k", &r),
            Some(("a@x.co".to_owned(), jti))
        );
        let login = mint_auth_token("k", &AuthSubject::new("user", "a", None), now).unwrap();
        assert_eq!(
            verify_reset_token("k", &login),
            None,
            "purpose must be reset"
        );
        let (old, _) = mint_reset_token("k", "a@x.co", now - 3600).unwrap();
        assert_eq!(verify_reset_token("k", &old), None, "expired");
    }
}
