//! Who a v2 request acts for. Medusa 2's `authenticate` middleware tries, in order, the session
//! cookie (an auth context stored by `POST /auth/session`), a Bearer JWT and, where the route
//! allows it, a secret API key over HTTP Basic. `x-medusa-access-token` means nothing here
//! (§6). JWTs are stateless: a deleted user's token keeps passing (recording 09#10).

use std::sync::Arc;

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use super::super::express::{App, Fail, blocking, json_response};
use super::db::api_keys;
use super::tokens::{self, AuthContext};

/// The middleware's 401, with no `type` field (CONTRACT §3.1).
pub fn unauthorized() -> Response {
    json_response(
        StatusCode::UNAUTHORIZED,
        &json!({"message": "Unauthorized"}),
    )
}

const BEARER_SECRET_KEY: &str = "A secret API key was passed as a Bearer token. Secret API keys \
    must be sent using HTTP Basic authentication instead (Authorization: Basic <secret-api-key>).";

/// What a route lets in.
#[derive(Debug, Clone, Copy)]
pub struct Allow {
    /// `"user"`, or `None` for any actor type (`/auth/session`, `/auth/token/refresh`).
    pub actor_type: Option<&'static str>,
    pub api_key: bool,
    /// Tokens whose identity has no actor yet (a fresh registration): accept and refresh.
    pub unregistered: bool,
}

impl Allow {
    pub const ADMIN: Allow = Allow {
        actor_type: Some("user"),
        api_key: true,
        unregistered: false,
    };
    pub const ACCEPT: Allow = Allow {
        actor_type: Some("user"),
        api_key: false,
        unregistered: true,
    };
    pub const ANY_BEARER: Allow = Allow {
        actor_type: None,
        api_key: false,
        unregistered: true,
    };
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    Session(String),
    Bearer,
    ApiKey,
}

/// An authenticated request's auth context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub context: AuthContext,
    pub via: Via,
}

impl Principal {
    /// The user id, or the API key's id, or `""` for an unregistered identity.
    pub fn actor_id(&self) -> &str {
        &self.context.actor_id
    }
}

fn admits(allow: Allow, ctx: &AuthContext) -> bool {
    allow.actor_type.is_none_or(|t| t == ctx.actor_type)
        && (allow.unregistered || !ctx.actor_id.is_empty())
}

/// The secret key in a Basic header: `base64("sk_…:")`, `base64("sk_…")` or a raw `sk_…`
/// (all three work on the real server, §6).
fn basic_secret_key(credentials: &str) -> Option<String> {
    if credentials.starts_with("sk_") {
        return Some(credentials.to_owned());
    }
    let decoded = String::from_utf8(STANDARD.decode(credentials).ok()?).ok()?;
    let key = decoded.split(':').next().unwrap_or_default();
    key.starts_with("sk_").then(|| key.to_owned())
}

/// `Ok(None)`: not authenticated (the caller answers 401); `Err`: answered already (the
/// secret-key-as-Bearer hint).
pub async fn authenticate(
    app: &Arc<App>,
    headers: &HeaderMap,
    allow: Allow,
) -> Result<Option<Principal>, Fail> {
    if let Some(s) = app.sessions.find_in_headers(headers)
        && let Ok(Value::Object(claims)) = serde_json::from_str(&s.subject)
        && let Some(ctx) = AuthContext::from_claims(&claims)
        && admits(allow, &ctx)
    {
        return Ok(Some(Principal {
            context: ctx,
            via: Via::Session(s.sid),
        }));
    }
    let Some(auth) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return Ok(None);
    };
    let mut words = auth.split_whitespace();
    let (Some(scheme), Some(credentials)) = (words.next(), words.next()) else {
        return Ok(None);
    };
    if scheme.eq_ignore_ascii_case("bearer") {
        if credentials.starts_with("sk_") {
            return Err(Fail::reply(json_response(
                StatusCode::UNAUTHORIZED,
                &json!({"message": BEARER_SECRET_KEY}),
            )));
        }
        let ctx = tokens::verify(&app.jwt_secret, credentials)
            .and_then(|claims| AuthContext::from_claims(&claims))
            .filter(|ctx| admits(allow, ctx));
        return Ok(ctx.map(|context| Principal {
            context,
            via: Via::Bearer,
        }));
    }
    if scheme.eq_ignore_ascii_case("basic") && allow.api_key {
        let Some(key) = basic_secret_key(credentials) else {
            return Ok(None);
        };
        let found = blocking(app, move |app| {
            Ok(app.store.read(|c| api_keys::live_secret_key(c, &key))?)
        })
        .await?;
        return Ok(found.map(|k| Principal {
            context: AuthContext {
                actor_type: "api-key".to_owned(),
                actor_id: k.id,
                auth_identity_id: String::new(),
            },
            via: Via::ApiKey,
        }));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_keys_in_the_three_basic_forms() {
        let key = "sk_0123";
        assert_eq!(basic_secret_key(key).as_deref(), Some(key));
        assert_eq!(
            basic_secret_key(&STANDARD.encode("sk_0123:")).as_deref(),
            Some(key)
        );
        assert_eq!(
            basic_secret_key(&STANDARD.encode("sk_0123")).as_deref(),
            Some(key)
        );
        assert_eq!(basic_secret_key(&STANDARD.encode("admin@x.co:pw")), None);
        assert_eq!(basic_secret_key("pk_0123"), None);
        assert_eq!(basic_secret_key("%%%"), None);
    }

    #[test]
    fn routes_admit_their_actors() {
        let ctx = |t: &str, id: &str| AuthContext {
            actor_type: t.into(),
            actor_id: id.into(),
            auth_identity_id: "authid_1".into(),
        };
        assert!(admits(Allow::ADMIN, &ctx("user", "user_1")));
        assert!(
            !admits(Allow::ADMIN, &ctx("user", "")),
            "a registration token"
        );
        assert!(!admits(Allow::ADMIN, &ctx("customer", "")));
        assert!(admits(Allow::ACCEPT, &ctx("user", "")));
        assert!(!admits(Allow::ACCEPT, &ctx("customer", "")));
        assert!(admits(Allow::ANY_BEARER, &ctx("customer", "")));
    }
}
