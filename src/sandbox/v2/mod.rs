//! The Medusa v2 dialect: Medusa 2.21.2's admin users, invites, secret API keys and emailpass
//! auth routes, answered like the real server (CONTRACT.md §3 and §6, `tests/fixtures/medusa-v2`),
//! except for the deviations in [`V2_DEVIATIONS`].
//!
//! Like v1, one fallback handler routes by itself, in Medusa 2's order: the body is parsed
//! first (JSON or form-encoded; bad JSON is a JSON 400), `/auth` routes authenticate
//! themselves, and everything under `/admin` authenticates before routing, so an unknown admin
//! path is a 401 without credentials and Express's HTML 404 with them.

mod api_keys;
mod auth;
mod auth_routes;
mod db;
pub(crate) mod deviations;
mod invites;
mod list;
mod render;
pub(crate) mod seed;
pub mod tokens;
mod users;
mod validate;

pub use deviations::V2_DEVIATIONS;

use std::sync::Arc;

use axum::body::Body;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::express::{
    App, Fail, HTML_TYPE, cannot, json_response, media_type, parse_json, preflight, read_body,
    segments, strip_segment, text,
};
use super::query::percent_decode;
use auth::{Allow, Principal};

/// Answers one request as this dialect's server does (the sandbox's router calls it).
pub(super) async fn handle(app: &Arc<App>, parts: &Parts, body: Body) -> Result<Response, Fail> {
    let method = &parts.method;
    let path = parts.uri.path();
    if strip_segment(path, "/health").is_some_and(|r| r.is_empty() || r == "/")
        && (method == Method::GET || method == Method::HEAD)
    {
        // v2 answers its health check as HTML (recording 11#15).
        return Ok(text(StatusCode::OK, Some(HTML_TYPE), "OK"));
    }
    let auth_rest = strip_segment(path, "/auth");
    let admin_rest = strip_segment(path, "/admin");
    if auth_rest.is_none() && admin_rest.is_none() {
        return Err(cannot(parts));
    }
    if method == Method::OPTIONS {
        return Ok(preflight());
    }
    let bytes = read_body(body).await?;
    let body = parse_body(&parts.headers, &bytes)?;
    match (auth_rest, admin_rest) {
        (Some(rest), _) => auth_routes::handle(app, parts, rest, body).await,
        (_, Some(rest)) => admin(app, parts, rest, body).await,
        _ => Err(cannot(parts)),
    }
}

/// body-parser's JSON and (extended) form parsers, which Medusa 2 both mounts; anything else
/// is `{}`. Malformed JSON is a JSON 400 through Medusa's error handler (recording 08#9).
fn parse_body(headers: &HeaderMap, bytes: &[u8]) -> Result<Value, Fail> {
    let empty = || Value::Object(Map::new());
    match media_type(headers).as_deref() {
        Some("application/json") => match parse_json(bytes) {
            None => Ok(empty()),
            Some(Ok(v)) => Ok(v),
            Some(Err(message)) => Err(Fail::reply(json_response(
                StatusCode::BAD_REQUEST,
                &json!({"message": message, "type": "invalid_data"}),
            ))),
        },
        Some("application/x-www-form-urlencoded") => Ok(Value::Object(
            url::form_urlencoded::parse(bytes)
                .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
                .collect(),
        )),
        _ => Ok(empty()),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route<'a> {
    ListUsers,
    Me,
    GetUser(&'a str),
    UpdateUser(&'a str),
    DeleteUser(&'a str),
    ResetPassword(&'a str),
    AuthProviders(&'a str),
    Roles,
    ListInvites,
    CreateInvite,
    AcceptInvite,
    GetInvite(&'a str),
    DeleteInvite(&'a str),
    ResendInvite(&'a str),
    ListKeys,
    CreateKey,
    GetKey(&'a str),
    UpdateKey(&'a str),
    RevokeKey(&'a str),
    DeleteKey(&'a str),
    Unknown,
}

/// Matches the path below `/admin` like Express: case-insensitive static parts, one optional
/// trailing slash, static segments before parameters.
fn route<'a>(method: &Method, rest: &'a str) -> Route<'a> {
    let is = |s: &str, name: &str| s.eq_ignore_ascii_case(name);
    let (get, post, delete) = (
        method == Method::GET || method == Method::HEAD,
        method == Method::POST,
        method == Method::DELETE,
    );
    let param = |s: &&str| !s.is_empty();
    match segments(rest).as_slice() {
        [u] if is(u, "users") && get => Route::ListUsers,
        [u, m] if is(u, "users") && is(m, "me") && get => Route::Me,
        [u, id] if is(u, "users") && param(id) && get => Route::GetUser(id),
        [u, id] if is(u, "users") && param(id) && post => Route::UpdateUser(id),
        [u, id] if is(u, "users") && param(id) && delete => Route::DeleteUser(id),
        [u, id, r] if is(u, "users") && param(id) && is(r, "reset-password") && post => {
            Route::ResetPassword(id)
        }
        [u, id, a] if is(u, "users") && param(id) && is(a, "auth-providers") && get => {
            Route::AuthProviders(id)
        }
        [u, _, r] if is(u, "users") && is(r, "roles") && (get || post) => Route::Roles,
        [u, _, r, _] if is(u, "users") && is(r, "roles") && delete => Route::Roles,
        [i] if is(i, "invites") && get => Route::ListInvites,
        [i] if is(i, "invites") && post => Route::CreateInvite,
        [i, a] if is(i, "invites") && is(a, "accept") && post => Route::AcceptInvite,
        [i, id] if is(i, "invites") && param(id) && get => Route::GetInvite(id),
        [i, id] if is(i, "invites") && param(id) && delete => Route::DeleteInvite(id),
        [i, id, r] if is(i, "invites") && param(id) && is(r, "resend") && post => {
            Route::ResendInvite(id)
        }
        [k] if is(k, "api-keys") && get => Route::ListKeys,
        [k] if is(k, "api-keys") && post => Route::CreateKey,
        [k, id] if is(k, "api-keys") && param(id) && get => Route::GetKey(id),
        [k, id] if is(k, "api-keys") && param(id) && post => Route::UpdateKey(id),
        [k, id] if is(k, "api-keys") && param(id) && delete => Route::DeleteKey(id),
        [k, id, r] if is(k, "api-keys") && param(id) && is(r, "revoke") && post => {
            Route::RevokeKey(id)
        }
        _ => Route::Unknown,
    }
}

fn decode_id(id: &str) -> Result<String, Fail> {
    percent_decode(id).ok_or_else(|| Fail::from(&deviations::MALFORMED_PATH_ESCAPE))
}

async fn admin(app: &Arc<App>, parts: &Parts, rest: &str, body: Value) -> Result<Response, Fail> {
    let route = route(&parts.method, rest);
    let allow = if route == Route::AcceptInvite {
        Allow::ACCEPT
    } else {
        Allow::ADMIN
    };
    let Some(p) = auth::authenticate(app, &parts.headers, allow).await? else {
        return Ok(auth::unauthorized());
    };
    let q = parts.uri.query().unwrap_or("");
    let p: &Principal = &p;
    match route {
        Route::ListUsers => users::list(app, q).await,
        Route::Me => users::get(app, p.actor_id().to_owned(), q).await,
        Route::GetUser(id) => users::get(app, decode_id(id)?, q).await,
        Route::UpdateUser(id) => users::update(app, decode_id(id)?, body, q).await,
        Route::DeleteUser(id) => users::delete(app, p, decode_id(id)?).await,
        Route::ResetPassword(id) => users::reset_password(app, decode_id(id)?).await,
        Route::AuthProviders(id) => users::auth_providers(app, decode_id(id)?).await,
        Route::Roles => Err(users::roles()),
        Route::ListInvites => invites::list(app, q).await,
        Route::CreateInvite => invites::create(app, body, q).await,
        Route::AcceptInvite => invites::accept(app, p.clone(), body, q).await,
        Route::GetInvite(id) => invites::get(app, decode_id(id)?, q).await,
        Route::DeleteInvite(id) => invites::delete(app, decode_id(id)?).await,
        Route::ResendInvite(id) => invites::resend(app, decode_id(id)?, q).await,
        Route::ListKeys => api_keys::list(app, q).await,
        Route::CreateKey => api_keys::create(app, p, body, q).await,
        Route::GetKey(id) => api_keys::get(app, decode_id(id)?, q).await,
        Route::UpdateKey(id) => api_keys::change(app, p, decode_id(id)?, body, q, false).await,
        Route::RevokeKey(id) => api_keys::change(app, p, decode_id(id)?, body, q, true).await,
        Route::DeleteKey(id) => api_keys::delete(app, decode_id(id)?).await,
        Route::Unknown => Err(cannot(parts)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderValue, header};

    #[test]
    fn routes_like_medusa_2() {
        let (get, post, delete) = (Method::GET, Method::POST, Method::DELETE);
        assert_eq!(route(&get, "/users/me"), Route::Me);
        assert_eq!(route(&get, "/Users/user_1/"), Route::GetUser("user_1"));
        assert_eq!(
            route(&post, "/users/password-token"),
            Route::UpdateUser("password-token")
        );
        assert_eq!(route(&post, "/users"), Route::Unknown, "no create in v2");
        assert_eq!(route(&Method::PUT, "/users/user_1"), Route::Unknown);
        assert_eq!(route(&post, "/invites/accept"), Route::AcceptInvite);
        assert_eq!(
            route(&get, "/invites/invite_1"),
            Route::GetInvite("invite_1")
        );
        assert_eq!(route(&delete, "/users/u/roles/role_1"), Route::Roles);
        assert_eq!(
            route(&post, "/api-keys/apk_1/revoke"),
            Route::RevokeKey("apk_1")
        );
        assert_eq!(route(&get, "/auth"), Route::Unknown);
        assert_eq!(route(&get, "/users//"), Route::Unknown);
    }

    #[test]
    fn bodies_json_or_form() {
        let mut h = HeaderMap::new();
        assert_eq!(parse_body(&h, b"{\"a\":1}").ok(), Some(json!({})));
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        assert_eq!(
            parse_body(&h, b"email=a%40b.co&password=p").ok(),
            Some(json!({"email": "a@b.co", "password": "p"}))
        );
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        let Err(Fail::Reply(r)) = parse_body(&h, b"{\"first_name\":") else {
            panic!("accepted");
        };
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    }
}
