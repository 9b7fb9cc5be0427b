//! The Medusa v1 dialect: v1's admin routes, answered like Medusa 1.20.11 answers them.
//!
//! One fallback handler does its own routing instead of axum's router, because Express's order
//! of operations shows in the answers: the JSON body is parsed first (malformed JSON is a 400
//! even without credentials), then the unauthenticated routes, then authentication for
//! everything else under `/admin` (so an unknown admin path is a 401 before it is a 404).

mod auth;
pub(crate) mod email;
mod invites;
pub(crate) mod list_params;
mod render;
mod users;
pub(crate) mod validate;

use std::sync::Arc;

use axum::body::Body;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::Response;
use serde_json::{Map, Value};

use super::deviations;
use super::express::{
    App, Fail, TEXT_TYPE, blocking, cannot, html_page, media_type, parse_json, preflight,
    read_body, segments, strip_segment, text,
};
use super::query::percent_decode;
use super::tokens;
use validate::Invalid;

impl From<Invalid> for Fail {
    fn from(i: Invalid) -> Self {
        Fail::Invalid(i.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route<'a> {
    Login,
    Token,
    PasswordToken,
    ResetPassword,
    GetAuth,
    Logout,
    ListUsers,
    CreateUser,
    GetUser(&'a str),
    UpdateUser(&'a str),
    DeleteUser(&'a str),
    ListInvites,
    CreateInvite,
    ResendInvite(&'a str),
    DeleteInvite(&'a str),
    AcceptInvite,
    Unknown,
}

impl Route<'_> {
    fn needs_auth(self) -> bool {
        !matches!(
            self,
            Route::Login
                | Route::Token
                | Route::PasswordToken
                | Route::ResetPassword
                | Route::AcceptInvite
        )
    }
}

/// Matches the path below `/admin` like Express: case-insensitive static parts, one optional
/// trailing slash.
fn route<'a>(method: &Method, rest: &'a str) -> Route<'a> {
    let segments = segments(rest);
    let is = |s: &str, name: &str| s.eq_ignore_ascii_case(name);
    let get = method == Method::GET || method == Method::HEAD;
    match segments.as_slice() {
        [a] if is(a, "auth") && method == Method::POST => Route::Login,
        [a] if is(a, "auth") && get => Route::GetAuth,
        [a] if is(a, "auth") && method == Method::DELETE => Route::Logout,
        [a, t] if is(a, "auth") && is(t, "token") && method == Method::POST => Route::Token,
        [u] if is(u, "users") && get => Route::ListUsers,
        [u] if is(u, "users") && method == Method::POST => Route::CreateUser,
        [u, p] if is(u, "users") && is(p, "password-token") && method == Method::POST => {
            Route::PasswordToken
        }
        [u, r] if is(u, "users") && is(r, "reset-password") && method == Method::POST => {
            Route::ResetPassword
        }
        [u, id] if is(u, "users") && !id.is_empty() => match *method {
            Method::GET | Method::HEAD => Route::GetUser(id),
            Method::POST => Route::UpdateUser(id),
            Method::DELETE => Route::DeleteUser(id),
            _ => Route::Unknown,
        },
        [i] if is(i, "invites") && get => Route::ListInvites,
        [i] if is(i, "invites") && method == Method::POST => Route::CreateInvite,
        // Only POST is on the unauthenticated router (recording 205).
        [i, a] if is(i, "invites") && is(a, "accept") && method == Method::POST => {
            Route::AcceptInvite
        }
        [i, id, r] if is(i, "invites") && is(r, "resend") && method == Method::POST => {
            Route::ResendInvite(id)
        }
        [i, id] if is(i, "invites") && method == Method::DELETE => Route::DeleteInvite(id),
        _ => Route::Unknown,
    }
}

/// A path parameter, `%`-decoded like Express does.
fn decode_id(id: &str) -> Result<String, Fail> {
    percent_decode(id).ok_or_else(|| Fail::from(&deviations::MALFORMED_PATH_ESCAPE))
}

/// Answers one request as this dialect's server does (the sandbox's router calls it).
pub(super) async fn handle(app: &Arc<App>, parts: &Parts, body: Body) -> Result<Response, Fail> {
    let method = &parts.method;
    let path = parts.uri.path();
    if strip_segment(path, "/health").is_some_and(|r| r.is_empty() || r == "/")
        && (method == Method::GET || method == Method::HEAD)
    {
        return Ok(text(StatusCode::OK, Some(TEXT_TYPE), "OK"));
    }
    let Some(rest) = strip_segment(path, "/admin") else {
        return Err(cannot(parts));
    };
    if method == Method::OPTIONS {
        return Ok(preflight());
    }
    let bytes = read_body(body).await?;
    let body = parse_body(&parts.headers, &bytes)?;
    let route = route(method, rest);
    let principal = if route.needs_auth() {
        match authenticate(app, &parts.headers).await? {
            Some(p) => Some(p),
            None => return Ok(auth::unauthorized_bare()),
        }
    } else {
        None
    };
    match (route, principal) {
        (Route::Login, _) => auth::login(app, body).await,
        (Route::Token, _) => auth::token(app, body).await,
        (Route::PasswordToken, _) => auth::password_token(app, body).await,
        (Route::ResetPassword, _) => auth::reset_password(app, body).await,
        (Route::GetAuth, Some(p)) => auth::get_auth(app, p).await,
        (Route::Logout, Some(p)) => Ok(auth::logout(app, &p)),
        (Route::ListUsers, Some(_)) => users::list(app, parts.uri.query().unwrap_or("")).await,
        (Route::CreateUser, Some(_)) => users::create(app, body).await,
        (Route::GetUser(id), Some(_)) => users::get(app, decode_id(id)?).await,
        (Route::UpdateUser(id), Some(_)) => users::update(app, decode_id(id)?, body).await,
        (Route::DeleteUser(id), Some(_)) => users::delete(app, decode_id(id)?).await,
        (Route::ListInvites, Some(_)) => invites::list(app).await,
        (Route::CreateInvite, Some(_)) => invites::create(app, body).await,
        (Route::ResendInvite(id), Some(_)) => invites::resend(app, decode_id(id)?).await,
        (Route::DeleteInvite(id), Some(_)) => invites::delete(app, decode_id(id)?).await,
        (Route::AcceptInvite, _) => invites::accept(app, body).await,
        _ => Err(cannot(parts)),
    }
}

/// `express.json()`: only `application/json` bodies are read; anything else, and an empty
/// body, is `{}` (so a JSON body without its Content-Type fails validation, case 045).
/// Malformed JSON is Express's HTML error page.
fn parse_body(headers: &HeaderMap, bytes: &[u8]) -> Result<Value, Fail> {
    let empty = || Value::Object(Map::new());
    if media_type(headers).as_deref() != Some("application/json") {
        return Ok(empty());
    }
    match parse_json(bytes) {
        None => Ok(empty()),
        Some(Ok(v)) => Ok(v),
        Some(Err(m)) => Err(Fail::reply(html_page(
            StatusCode::BAD_REQUEST,
            &format!("SyntaxError: {m}"),
        ))),
    }
}

/// Who a request acts for, and how it proved it.
#[derive(Debug, Clone)]
enum Principal {
    Session { sid: String, user_id: String },
    Bearer { user_id: String },
    ApiToken { user_id: String },
}

impl Principal {
    fn user_id(&self) -> &str {
        match self {
            Principal::Session { user_id, .. }
            | Principal::Bearer { user_id }
            | Principal::ApiToken { user_id } => user_id,
        }
    }
}

/// Medusa's three strategies, in its order: session cookie, Bearer JWT, API token. The first
/// two never look at the database, so a deleted user's session and JWT keep working.
async fn authenticate(app: &Arc<App>, headers: &HeaderMap) -> Result<Option<Principal>, Fail> {
    if let Some(s) = app.sessions.find_in_headers(headers) {
        return Ok(Some(Principal::Session {
            sid: s.sid,
            user_id: s.subject,
        }));
    }
    if let Some(auth) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        let mut words = auth.split_whitespace();
        if let (Some(scheme), Some(token)) = (words.next(), words.next())
            && scheme.eq_ignore_ascii_case("bearer")
            && let Some(user_id) = tokens::verify_admin_token(&app.jwt_secret, token)
        {
            return Ok(Some(Principal::Bearer { user_id }));
        }
    }
    let api_token = headers
        .get("x-medusa-access-token")
        .and_then(|v| v.to_str().ok())
        .filter(|t| !t.is_empty())
        .map(str::to_owned);
    if let Some(t) = api_token {
        let user = blocking(app, move |app| Ok(app.store.live_user_by_api_token(&t)?)).await?;
        if let Some(u) = user {
            return Ok(Some(Principal::ApiToken { user_id: u.id }));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use serde_json::json;

    #[test]
    fn routes_like_express() {
        let post = Method::POST;
        let get = Method::GET;
        assert_eq!(route(&post, "/auth"), Route::Login);
        assert_eq!(route(&post, "/auth/"), Route::Login);
        assert_eq!(route(&get, "/Users"), Route::ListUsers);
        assert_eq!(route(&get, "/users/"), Route::ListUsers);
        assert_eq!(route(&post, "/users/password-token"), Route::PasswordToken);
        assert_eq!(
            route(&get, "/users/password-token"),
            Route::GetUser("password-token")
        );
        assert_eq!(
            route(&Method::DELETE, "/users/usr_1/"),
            Route::DeleteUser("usr_1")
        );
        assert_eq!(route(&Method::DELETE, "/users"), Route::Unknown);
        assert_eq!(route(&get, ""), Route::Unknown);
        assert_eq!(route(&get, "/users//"), Route::Unknown);
        assert_eq!(route(&get, "/invites/"), Route::ListInvites);
        assert_eq!(route(&post, "/Invites/Accept"), Route::AcceptInvite);
        assert_eq!(route(&get, "/invites/accept"), Route::Unknown);
        assert_eq!(route(&get, "/invites/invite_1"), Route::Unknown);
        assert_eq!(
            route(&post, "/invites/invite_1/resend"),
            Route::ResendInvite("invite_1")
        );
        assert_eq!(
            route(&Method::DELETE, "/invites/not-an-id"),
            Route::DeleteInvite("not-an-id")
        );
        assert!(!Route::ResetPassword.needs_auth());
        assert!(!Route::AcceptInvite.needs_auth());
        assert!(Route::Unknown.needs_auth());
    }

    #[test]
    fn body_parsing_like_body_parser() {
        let mut h = HeaderMap::new();
        assert_eq!(
            parse_body(&h, br#"{"a":1}"#).ok(),
            Some(json!({})),
            "no content type"
        );
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("Application/JSON; charset=utf-8"),
        );
        assert_eq!(parse_body(&h, br#"{"a":1}"#).ok(), Some(json!({"a": 1})));
        assert_eq!(parse_body(&h, b"  ").ok(), Some(json!({})));
        for bad in [&b"{\"email\": "[..], b"\"str\"", b"{x}"] {
            let Err(Fail::Reply(r)) = parse_body(&h, bad) else {
                panic!("accepted {bad:?}");
            };
            assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        }
    }
}
