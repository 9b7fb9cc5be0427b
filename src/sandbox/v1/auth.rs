//! v1's authentication and password-reset routes: `POST/GET/DELETE /admin/auth`,
//! `POST /admin/auth/token`, `POST /admin/users/password-token` and
//! `POST /admin/users/reset-password`.

use std::sync::Arc;

use axum::body::Body;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::super::deviations;
use super::super::express::{
    App, Fail, HTML_TYPE, TEXT_TYPE, blocking, internal, json_response, response, text, with_cookie,
};
use super::super::outbox::Event;
use super::super::password::{hash_password, verify_password};
use super::super::store::UserRow;
use super::super::tokens;
use super::Principal;
use super::render;
use super::validate;

/// The 401 of Medusa's auth middleware: `Unauthorized` with no Content-Type at all.
pub fn unauthorized_bare() -> Response {
    text(StatusCode::UNAUTHORIZED, None, "Unauthorized")
}

/// The 401 of a failed login, sent through `res.sendStatus`.
fn unauthorized_text() -> Response {
    text(StatusCode::UNAUTHORIZED, Some(TEXT_TYPE), "Unauthorized")
}

pub fn user_envelope(u: &UserRow) -> Response {
    json_response(StatusCode::OK, &json!({ "user": render::user(u) }))
}

/// The live user with these credentials, if they are right.
async fn check_credentials(
    app: &Arc<App>,
    creds: validate::Login,
) -> Result<Option<UserRow>, Fail> {
    blocking(app, move |app| {
        let Some(user) = app.store.live_user_by_email(&creds.email)? else {
            return Ok(None);
        };
        let ok = user
            .password_hash
            .as_deref()
            .is_some_and(|h| verify_password(&creds.password, h));
        Ok(ok.then_some(user))
    })
    .await
}

/// `POST /admin/auth`
pub async fn login(app: &Arc<App>, body: Value) -> Result<Response, Fail> {
    let creds = validate::login(&body)?;
    let Some(user) = check_credentials(app, creds).await? else {
        return Ok(unauthorized_text());
    };
    let cookie = app.sessions.create(&user.id);
    with_cookie(user_envelope(&user), &cookie)
}

/// `POST /admin/auth/token`
pub async fn token(app: &Arc<App>, body: Value) -> Result<Response, Fail> {
    let creds = validate::login(&body)?;
    let Some(user) = check_credentials(app, creds).await? else {
        return Ok(unauthorized_text());
    };
    let token = tokens::mint_admin_token(&app.jwt_secret, &user.id, tokens::now_secs())
        .map_err(internal("admin token"))?;
    Ok(json_response(
        StatusCode::OK,
        &json!({ "access_token": token }),
    ))
}

/// `GET /admin/auth`: the real handler answers any failure, a deleted user included, with a
/// bare 400.
pub async fn get_auth(app: &Arc<App>, p: Principal) -> Result<Response, Fail> {
    let id = p.user_id().to_owned();
    let user = blocking(app, move |app| Ok(app.store.live_user(&id)?)).await?;
    Ok(match user {
        Some(u) => user_envelope(&u),
        None => text(StatusCode::BAD_REQUEST, Some(TEXT_TYPE), "Bad Request"),
    })
}

/// `DELETE /admin/auth`: ends the cookie session; a JWT stays valid (it is stateless).
pub fn logout(app: &App, p: &Principal) -> Response {
    if let Principal::Session { sid, .. } = p {
        app.sessions.destroy(sid);
    }
    text(StatusCode::OK, Some(TEXT_TYPE), "OK")
}

/// `POST /admin/users/password-token`: 204 whether or not the address exists.
pub async fn password_token(app: &Arc<App>, body: Value) -> Result<Response, Fail> {
    let email = validate::password_token(&body)?;
    blocking(app, move |app| {
        let Some(user) = app.store.live_user_by_email(&email)? else {
            return Ok(());
        };
        let Some(hash) = user.password_hash.as_deref() else {
            return Err((&deviations::PASSWORD_TOKEN_NO_PASSWORD).into());
        };
        let token = tokens::mint_reset_token(hash, &user.id, &user.email, tokens::now_secs())
            .map_err(internal("reset token"))?;
        app.outbox
            .publish(Event::UserPasswordReset, &user.email, &token);
        tracing::info!(user_id = %user.id, "password reset token issued");
        Ok(())
    })
    .await?;
    Ok(response(StatusCode::NO_CONTENT, None, Body::empty()))
}

/// `POST /admin/users/reset-password`
pub async fn reset_password(app: &Arc<App>, body: Value) -> Result<Response, Fail> {
    let input = validate::reset_password(&body)?;
    let invalid = || Fail::Invalid("invalid token".to_owned());
    let Some(claims) = tokens::peek_claims(&input.token) else {
        return Err(invalid());
    };
    // The body's e-mail, if any, picks the user; otherwise the one inside the token.
    let Some(email) = input.email.clone().or_else(|| {
        claims
            .get("email")
            .and_then(Value::as_str)
            .map(str::to_owned)
    }) else {
        return Err(invalid());
    };
    blocking(app, move |app| {
        let Some(user) = app.store.live_user_by_email(&email)? else {
            return Err(invalid());
        };
        let verified = user
            .password_hash
            .as_deref()
            .and_then(|hash| tokens::verify_reset_token(hash, &input.token));
        let Some(verified) = verified else {
            return Err((&deviations::BAD_RESET_TOKEN).into());
        };
        if verified.get("user_id").and_then(Value::as_str) != Some(user.id.as_str()) {
            return Err(Fail::reply(text(
                StatusCode::UNAUTHORIZED,
                Some(HTML_TYPE),
                "Invalid or expired password reset token",
            )));
        }
        let new_hash = (!input.password.is_empty()).then(|| hash_password(&input.password));
        match app.store.set_password_hash(&user.id, new_hash.as_deref())? {
            Some(row) => {
                tracing::info!(user_id = %row.id, "password reset");
                Ok(user_envelope(&row))
            }
            // Deleted between the lookup and the update.
            None => Err(invalid()),
        }
    })
    .await
}
