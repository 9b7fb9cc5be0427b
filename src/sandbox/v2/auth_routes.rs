//! v2's `/auth` routes for the emailpass provider (CONTRACT §3.1, §3.5, §6): login, register
//! (resumable: the same password again on an identity with no user yet logs in), the reset
//! request and the password update with a single-use reset token, token refresh, cookie
//! sessions and the provider list that needs no credentials (the dialect probe).

use std::sync::Arc;

use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};

use super::super::express::{
    App, Fail, TEXT_TYPE, blocking, cannot, internal, json_response, segments, text, with_cookie,
};
use super::super::outbox::Event;
use super::super::password::{hash_password, verify_password};
use super::auth::{self, Allow, Via};
use super::db::users::{self as db, Identity};
use super::tokens::{self, AuthContext, AuthSubject};
use super::validate::{self, Spec, Ty};

/// A 401 of the auth routes: these carry `type` (unlike the middleware's).
fn unauthorized(message: &str) -> Fail {
    Fail::Typed {
        status: StatusCode::UNAUTHORIZED,
        kind: "unauthorized",
        message: message.to_owned(),
    }
}

fn token_answer(token: String) -> Response {
    json_response(StatusCode::OK, &json!({ "token": token }))
}

pub async fn handle(
    app: &Arc<App>,
    parts: &Parts,
    rest: &str,
    body: Value,
) -> Result<Response, Fail> {
    let is = |s: &str, name: &str| s.eq_ignore_ascii_case(name);
    let post = parts.method == Method::POST;
    match (segments(rest).as_slice(), &parts.method) {
        ([s], &Method::POST) if is(s, "session") => create_session(app, &parts.headers).await,
        ([s], &Method::DELETE) if is(s, "session") => delete_session(app, &parts.headers).await,
        ([t, r], &Method::POST) if is(t, "token") && is(r, "refresh") => {
            refresh(app, &parts.headers).await
        }
        ([_, p], &Method::GET) if is(p, "providers") => Ok(providers()),
        ([actor, provider, tail @ ..], _) if post && tail.len() <= 1 => {
            if *provider != "emailpass" {
                return Err(Fail::Typed {
                    status: StatusCode::BAD_REQUEST,
                    kind: "not_allowed",
                    message: format!(
                        "The actor type {actor} is not allowed to use the auth provider {provider}"
                    ),
                });
            }
            match tail {
                [] => login(app, actor, body).await,
                [r] if is(r, "register") => register(app, actor, body).await,
                [r] if is(r, "reset-password") => request_reset(app, body).await,
                [u] if is(u, "update") => update_password(app, &parts.headers, body).await,
                _ => Err(cannot(parts)),
            }
        }
        _ => Err(cannot(parts)),
    }
}

/// The emailpass provider reads the body itself (no zod): password first, then e-mail.
fn credentials(body: &Value) -> Result<(String, String), Fail> {
    let text = |k: &str| {
        body.get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let password = text("password").ok_or_else(|| unauthorized("Password should be a string"))?;
    let email = text("email").ok_or_else(|| unauthorized("Email should be a string"))?;
    Ok((email.to_owned(), password.to_owned()))
}

fn mint(app: &App, actor: &str, identity: &Identity) -> Result<String, Fail> {
    let subject = AuthSubject::new(actor, &identity.id, identity.user_id.as_deref());
    tokens::mint_auth_token(&app.jwt_secret, &subject, tokens::now_secs())
        .map_err(internal("auth token"))
}

/// `POST /auth/:actor/emailpass`: e-mails are compared exactly (§6).
async fn login(app: &Arc<App>, actor: &str, body: Value) -> Result<Response, Fail> {
    let (email, password) = credentials(&body)?;
    let actor = actor.to_owned();
    blocking(app, move |app| {
        let identity = app.store.read(|c| db::identity_by_email(c, &email))?;
        match identity.filter(|i| verify_password(&password, &i.password_hash)) {
            Some(i) => Ok(token_answer(mint(app, &actor, &i)?)),
            None => Err(unauthorized("Invalid email or password")),
        }
    })
    .await
}

/// `POST /auth/:actor/emailpass/register`.
async fn register(app: &Arc<App>, actor: &str, body: Value) -> Result<Response, Fail> {
    let (email, password) = credentials(&body)?;
    let actor = actor.to_owned();
    blocking(app, move |app| {
        let identity = app.store.write(|tx| -> Result<Option<Identity>, Fail> {
            match db::identity_by_email(tx, &email)? {
                // Not claimed by a user yet and the same password: a half-done create can be
                // finished (§6).
                Some(i) if i.user_id.is_none() && verify_password(&password, &i.password_hash) => {
                    Ok(Some(i))
                }
                Some(_) => Ok(None),
                None => {
                    let i = Identity {
                        id: app.store.new_prefixed_id("authid"),
                        email: email.clone(),
                        password_hash: hash_password(&password),
                        user_id: None,
                        reset_jti: None,
                    };
                    db::insert_identity(tx, &i)?;
                    Ok(Some(i))
                }
            }
        })?;
        match identity {
            Some(i) => Ok(token_answer(mint(app, &actor, &i)?)),
            None => Err(unauthorized("Identity with email already exists")),
        }
    })
    .await
}

/// `POST /auth/:actor/emailpass/reset-password`: 201 `Created` whether or not the identity
/// exists; the token only reaches the outbox.
async fn request_reset(app: &Arc<App>, body: Value) -> Result<Response, Fail> {
    const SPECS: [Spec; 2] = [
        Spec::required("identifier", Ty::Str),
        Spec::optional("metadata", Ty::Record),
    ];
    let fields = validate::body(&body, &SPECS)?;
    let identifier = fields
        .get("identifier")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    blocking(app, move |app| {
        issue_reset_token(app, &identifier).map(drop)
    })
    .await?;
    Ok(text(StatusCode::CREATED, Some(TEXT_TYPE), "Created"))
}

/// Issues a reset token for the identity `email`, which voids the earlier ones, and mails it
/// (to the outbox). `None` when there is no such identity.
pub fn issue_reset_token(app: &App, email: &str) -> Result<Option<String>, Fail> {
    let issued = app
        .store
        .write(|tx| -> Result<Option<(String, String)>, Fail> {
            let Some(identity) = db::identity_by_email(tx, email)? else {
                return Ok(None);
            };
            let (token, jti) =
                tokens::mint_reset_token(&app.jwt_secret, &identity.email, tokens::now_secs())
                    .map_err(internal("reset token"))?;
            db::set_reset_jti(tx, &identity.id, Some(&jti))?;
            Ok(Some((identity.email, token)))
        })?;
    Ok(issued.map(|(email, token)| {
        app.outbox.publish(Event::AuthPasswordReset, &email, &token);
        tracing::info!("password reset token issued");
        token
    }))
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let auth = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let mut words = auth.split_whitespace();
    match (words.next(), words.next()) {
        (Some(scheme), Some(token)) if scheme.eq_ignore_ascii_case("bearer") => {
            Some(token.to_owned())
        }
        _ => None,
    }
}

/// `POST /auth/:actor/emailpass/update` with `Authorization: Bearer <reset token>` only (the
/// query and body forms are refused in 2.21). The token is spent before the password is
/// looked at, so a failed update burns it (§3.5).
async fn update_password(
    app: &Arc<App>,
    headers: &HeaderMap,
    body: Value,
) -> Result<Response, Fail> {
    let invalid = || unauthorized("Invalid token");
    let token = bearer(headers).ok_or_else(invalid)?;
    let (email, jti) = tokens::verify_reset_token(&app.jwt_secret, &token).ok_or_else(invalid)?;
    let password = body
        .get("password")
        .and_then(Value::as_str)
        .filter(|p| !p.is_empty())
        .map(str::to_owned);
    blocking(app, move |app| {
        let spent = app.store.write(|tx| -> Result<bool, Fail> {
            let Some(identity) = db::identity_by_email(tx, &email)? else {
                return Ok(false);
            };
            if identity.reset_jti.as_deref() != Some(jti.as_str()) {
                return Ok(false);
            }
            db::set_reset_jti(tx, &identity.id, None)?;
            if let Some(p) = &password {
                db::set_password_hash(tx, &identity.id, &hash_password(p))?;
            }
            Ok(true)
        })?;
        match (spent, password) {
            (false, _) => Err(invalid()),
            (true, None) => Err(unauthorized("Unauthorized")),
            (true, Some(_)) => {
                tracing::info!("password updated with a reset token");
                Ok(json_response(StatusCode::OK, &json!({"success": true})))
            }
        }
    })
    .await
}

/// `POST /auth/token/refresh`: a fresh token from the identity as it is now, so a registration
/// token refreshed after an accept carries the new user (recording 04#7).
async fn refresh(app: &Arc<App>, headers: &HeaderMap) -> Result<Response, Fail> {
    let Some(principal) = auth::authenticate(app, headers, Allow::ANY_BEARER).await? else {
        return Ok(auth::unauthorized());
    };
    let AuthContext {
        actor_type,
        auth_identity_id,
        ..
    } = principal.context;
    blocking(app, move |app| {
        match app
            .store
            .read(|c| db::identity_by_id(c, &auth_identity_id))?
        {
            Some(i) => Ok(token_answer(mint(app, &actor_type, &i)?)),
            // The identity went with its user (§6).
            None => Err(Fail::NotFound(format!(
                "AuthIdentity with id: {auth_identity_id} was not found"
            ))),
        }
    })
    .await
}

/// `POST /auth/session`: the Bearer token's auth context becomes a cookie session.
async fn create_session(app: &Arc<App>, headers: &HeaderMap) -> Result<Response, Fail> {
    let claims = bearer(headers)
        .filter(|t| !t.starts_with("sk_"))
        .and_then(|t| tokens::verify(&app.jwt_secret, &t))
        .filter(|c| AuthContext::from_claims(c).is_some());
    let Some(claims) = claims else {
        return Ok(auth::unauthorized());
    };
    let claims = Value::Object(claims);
    let cookie = app.sessions.create(&claims.to_string());
    with_cookie(
        json_response(StatusCode::OK, &json!({ "user": claims })),
        &cookie,
    )
}

/// `DELETE /auth/session`: ends the cookie's session and clears the cookie.
async fn delete_session(app: &Arc<App>, headers: &HeaderMap) -> Result<Response, Fail> {
    if let Some(p) = auth::authenticate(app, headers, Allow::ANY_BEARER).await?
        && let Via::Session(sid) = p.via
    {
        app.sessions.destroy(&sid);
    }
    with_cookie(
        json_response(StatusCode::OK, &json!({"success": true})),
        &super::super::sessions::clear_cookie(),
    )
}

/// `GET /auth/:actor/providers`, the one v2 route that needs no credentials and answers JSON.
fn providers() -> Response {
    json_response(
        StatusCode::OK,
        &json!({"providers": [{
            "id": "emailpass",
            "identifier": "emailpass",
            "display_name": "Email/Password Authentication",
            "flow": "credentials",
        }]}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(r: Result<(String, String), Fail>) -> String {
        match r {
            Err(Fail::Typed { message, .. }) => message,
            _ => panic!("accepted"),
        }
    }

    #[test]
    fn the_provider_checks_the_password_first() {
        assert_eq!(
            message(credentials(&json!({}))),
            "Password should be a string"
        );
        assert_eq!(
            message(credentials(&json!({"email": "a@x.co", "password": ""}))),
            "Password should be a string"
        );
        assert_eq!(
            message(credentials(&json!({"password": "p"}))),
            "Email should be a string"
        );
        assert!(credentials(&json!({"email": "a@x.co", "password": "p"})).is_ok());
    }
}
