//! The HTTP side: Medusa v1's admin-users routes, answered like Express answers them.
//!
//! One fallback handler does its own routing instead of axum's router, because Express's order
//! of operations shows in the answers: the JSON body is parsed first (malformed JSON is a 400
//! even without credentials), then the four unauthenticated routes, then authentication for
//! everything else under `/admin` (so an unknown admin path is a 401 before it is a 404).

use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::deviations::{self, Deviation};
use super::outbox::Outbox;
use super::password::{hash_password, verify_password};
use super::query::{self, percent_decode};
use super::render;
use super::sessions::Sessions;
use super::store::{InsertError, NewUser, Store, UserRow, js_now};
use super::tokens;
use super::validate::{self, Invalid};

/// body-parser's default limit.
const BODY_LIMIT: usize = 100 * 1024;
const JSON_TYPE: &str = "application/json; charset=utf-8";
const TEXT_TYPE: &str = "text/plain; charset=utf-8";
const HTML_TYPE: &str = "text/html; charset=utf-8";

/// Everything a request handler needs.
pub(crate) struct App {
    pub store: Store,
    pub sessions: Sessions,
    pub outbox: Outbox,
    pub jwt_secret: String,
}

pub(crate) fn router(app: Arc<App>) -> axum::Router {
    axum::Router::new().fallback(dispatch).with_state(app)
}

/// A request that ends before its handler's happy path.
enum Fail {
    /// 400 `{"type":"invalid_data","message":…}`
    Invalid(String),
    /// 404 `{"type":"not_found","message":…}`
    NotFound(String),
    /// 500, Medusa's opaque body; the cause is logged.
    Internal,
    /// Any other finished answer (plain-text 401s, HTML pages, …); boxed to keep `Result`s
    /// small on the happy path.
    Reply(Box<Response>),
}

impl From<Invalid> for Fail {
    fn from(i: Invalid) -> Self {
        Fail::Invalid(i.0)
    }
}

impl From<&Deviation> for Fail {
    fn from(d: &Deviation) -> Self {
        Fail::Invalid(d.message().to_owned())
    }
}

impl From<rusqlite::Error> for Fail {
    fn from(e: rusqlite::Error) -> Self {
        tracing::error!(error = %e, "sandbox database error");
        Fail::Internal
    }
}

impl Fail {
    fn into_response(self) -> Response {
        match self {
            Fail::Invalid(message) => json_response(
                StatusCode::BAD_REQUEST,
                &json!({"type": "invalid_data", "message": message}),
            ),
            Fail::NotFound(message) => json_response(
                StatusCode::NOT_FOUND,
                &json!({"type": "not_found", "message": message}),
            ),
            Fail::Internal => json_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                &json!({"code": "unknown_error", "type": "unknown_error",
                        "message": "An unknown error occurred."}),
            ),
            Fail::Reply(r) => *r,
        }
    }
}

fn internal(context: &'static str) -> impl FnOnce(jsonwebtoken::errors::Error) -> Fail {
    move |e| {
        tracing::error!(error = %e, context, "cannot sign a token");
        Fail::Internal
    }
}

fn response(status: StatusCode, content_type: Option<&'static str>, body: Body) -> Response {
    let mut r = Response::new(body);
    *r.status_mut() = status;
    if let Some(ct) = content_type {
        r.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    }
    r
}

fn json_response(status: StatusCode, v: &Value) -> Response {
    json_bytes(status, v.to_string().into_bytes())
}

fn json_bytes(status: StatusCode, bytes: Vec<u8>) -> Response {
    response(status, Some(JSON_TYPE), Body::from(bytes))
}

fn text(status: StatusCode, content_type: Option<&'static str>, body: &'static str) -> Response {
    response(status, content_type, Body::from(body))
}

/// The 401 of Medusa's auth middleware: `Unauthorized` with no Content-Type at all.
fn unauthorized_bare() -> Response {
    text(StatusCode::UNAUTHORIZED, None, "Unauthorized")
}

/// The 401 of a failed login, sent through `res.sendStatus`.
fn unauthorized_text() -> Response {
    text(StatusCode::UNAUTHORIZED, Some(TEXT_TYPE), "Unauthorized")
}

/// Express's default error page (finalhandler), without the stack trace.
fn html_page(status: StatusCode, message: &str) -> Response {
    let escaped = message
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;");
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n</head>\n<body>\n<pre>{escaped}</pre>\n</body>\n</html>\n"
    );
    let mut r = response(status, Some(HTML_TYPE), Body::from(page));
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

/// The `cors` middleware in front of Medusa's admin router answers preflights itself, before
/// authentication (live: `OPTIONS /admin/users` is a 204 without credentials).
fn preflight() -> Response {
    let mut r = response(StatusCode::NO_CONTENT, None, Body::empty());
    let h = r.headers_mut();
    h.insert(
        header::VARY,
        HeaderValue::from_static("Origin, Access-Control-Request-Headers"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
        HeaderValue::from_static("true"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET,HEAD,PUT,PATCH,POST,DELETE"),
    );
    r
}

fn cannot(method: &Method, path: &str) -> Fail {
    Fail::Reply(Box::new(html_page(
        StatusCode::NOT_FOUND,
        &format!("Cannot {method} {path}"),
    )))
}

/// Runs database and hashing work off the async workers.
async fn blocking<T, F>(app: &Arc<App>, f: F) -> Result<T, Fail>
where
    T: Send + 'static,
    F: FnOnce(&App) -> Result<T, Fail> + Send + 'static,
{
    let app = Arc::clone(app);
    match tokio::task::spawn_blocking(move || f(&app)).await {
        Ok(result) => result,
        Err(e) => {
            tracing::error!(error = %e, "sandbox worker task failed");
            Err(Fail::Internal)
        }
    }
}

async fn dispatch(State(app): State<Arc<App>>, req: Request) -> Response {
    let started = Instant::now();
    let (parts, body) = req.into_parts();
    let response = match handle(&app, &parts, body).await {
        Ok(r) => r,
        Err(f) => f.into_response(),
    };
    tracing::debug!(
        method = %parts.method,
        path = parts.uri.path(),
        status = response.status().as_u16(),
        micros = started.elapsed().as_micros() as u64,
        "sandbox request"
    );
    response
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
    Unknown,
}

impl Route<'_> {
    fn needs_auth(self) -> bool {
        !matches!(
            self,
            Route::Login | Route::Token | Route::PasswordToken | Route::ResetPassword
        )
    }
}

/// Matches the path below `/admin` like Express: case-insensitive static parts, one optional
/// trailing slash.
fn route<'a>(method: &Method, rest: &'a str) -> Route<'a> {
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let segments: Vec<&str> = rest.split('/').skip(1).collect();
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
        _ => Route::Unknown,
    }
}

async fn handle(app: &Arc<App>, parts: &Parts, body: Body) -> Result<Response, Fail> {
    let method = &parts.method;
    let path = parts.uri.path();
    // Express matches paths case-insensitively, with an optional trailing slash.
    let health = path.strip_suffix('/').unwrap_or(path);
    if health.eq_ignore_ascii_case("/health") && (method == Method::GET || method == Method::HEAD) {
        return Ok(text(StatusCode::OK, Some(TEXT_TYPE), "OK"));
    }
    let rest = match path.split_at_checked(6) {
        Some((prefix, rest))
            if prefix.eq_ignore_ascii_case("/admin")
                && (rest.is_empty() || rest.starts_with('/')) =>
        {
            rest
        }
        _ => return Err(cannot(method, path)),
    };
    if method == Method::OPTIONS {
        return Ok(preflight());
    }
    let bytes = to_bytes(body, BODY_LIMIT).await.map_err(|_| {
        Fail::Reply(Box::new(html_page(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PayloadTooLargeError: request entity too large",
        )))
    })?;
    let body = parse_body(&parts.headers, &bytes)?;
    let route = route(method, rest);
    let principal = if route.needs_auth() {
        match authenticate(app, &parts.headers).await? {
            Some(p) => Some(p),
            None => return Ok(unauthorized_bare()),
        }
    } else {
        None
    };
    let decode_id =
        |id: &str| percent_decode(id).ok_or_else(|| Fail::from(&deviations::MALFORMED_PATH_ESCAPE));
    match (route, principal) {
        (Route::Login, _) => login(app, body).await,
        (Route::Token, _) => token(app, body).await,
        (Route::PasswordToken, _) => password_token(app, body).await,
        (Route::ResetPassword, _) => reset_password(app, body).await,
        (Route::GetAuth, Some(p)) => get_auth(app, p).await,
        (Route::Logout, Some(p)) => Ok(logout(app, &p)),
        (Route::ListUsers, Some(_)) => list_users(app, parts.uri.query().unwrap_or("")).await,
        (Route::CreateUser, Some(_)) => create_user(app, body).await,
        (Route::GetUser(id), Some(_)) => get_user(app, decode_id(id)?).await,
        (Route::UpdateUser(id), Some(_)) => update_user(app, decode_id(id)?, body).await,
        (Route::DeleteUser(id), Some(_)) => delete_user(app, decode_id(id)?).await,
        _ => Err(cannot(method, path)),
    }
}

/// `express.json()`: only `application/json` bodies are read; anything else, and an empty
/// body, is `{}` (so a JSON body without its Content-Type fails validation, case 045).
fn parse_body(headers: &HeaderMap, bytes: &[u8]) -> Result<Value, Fail> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|ct| ct.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
    let empty = || Value::Object(Map::new());
    if !is_json {
        return Ok(empty());
    }
    let syntax_error = |m: String| Fail::Reply(Box::new(html_page(StatusCode::BAD_REQUEST, &m)));
    let text = std::str::from_utf8(bytes)
        .map_err(|_| syntax_error("SyntaxError: Unexpected token in JSON".to_owned()))?;
    let trimmed = text.trim_start();
    let Some(first) = trimmed.chars().next() else {
        return Ok(empty());
    };
    // body-parser's strict mode: only objects and arrays. The message is Node 20's.
    if first != '{' && first != '[' {
        let shown: String = text.chars().take(32).collect();
        let more = if shown.len() < text.len() { "..." } else { "" };
        return Err(syntax_error(format!(
            "SyntaxError: Unexpected token '{first}', \"{shown}\"{more} is not valid JSON"
        )));
    }
    serde_json::from_str(text).map_err(|e| {
        syntax_error(if e.is_eof() {
            "SyntaxError: Unexpected end of JSON input".to_owned()
        } else {
            format!("SyntaxError: {e}")
        })
    })
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
    let cookies: Vec<&str> = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    if !cookies.is_empty()
        && let Some(s) = app.sessions.find(&cookies.join("; "))
    {
        return Ok(Some(Principal::Session {
            sid: s.sid,
            user_id: s.user_id,
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

fn user_envelope(u: &UserRow) -> Response {
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
async fn login(app: &Arc<App>, body: Value) -> Result<Response, Fail> {
    let creds = validate::login(&body)?;
    let Some(user) = check_credentials(app, creds).await? else {
        return Ok(unauthorized_text());
    };
    let cookie = app.sessions.create(&user.id);
    let mut r = user_envelope(&user);
    let value = HeaderValue::from_str(&cookie).map_err(|_| Fail::Internal)?;
    r.headers_mut().insert(header::SET_COOKIE, value);
    Ok(r)
}

/// `POST /admin/auth/token`
async fn token(app: &Arc<App>, body: Value) -> Result<Response, Fail> {
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
async fn get_auth(app: &Arc<App>, p: Principal) -> Result<Response, Fail> {
    let id = p.user_id().to_owned();
    let user = blocking(app, move |app| Ok(app.store.live_user(&id)?)).await?;
    Ok(match user {
        Some(u) => user_envelope(&u),
        None => text(StatusCode::BAD_REQUEST, Some(TEXT_TYPE), "Bad Request"),
    })
}

/// `DELETE /admin/auth`: ends the cookie session; a JWT stays valid (it is stateless).
fn logout(app: &App, p: &Principal) -> Response {
    if let Principal::Session { sid, .. } = p {
        app.sessions.destroy(sid);
    }
    text(StatusCode::OK, Some(TEXT_TYPE), "OK")
}

/// `GET /admin/users`
async fn list_users(app: &Arc<App>, raw_query: &str) -> Result<Response, Fail> {
    let params = validate::list(&query::parse(raw_query))?;
    let bytes = blocking(app, move |app| {
        let (rows, count) = app.store.list(&params.query)?;
        let users: Vec<Value> = rows
            .iter()
            .map(|u| match &params.fields {
                Some(columns) => render::projected(u, columns),
                None => render::user(u),
            })
            .collect();
        let page = json!({
            "users": users,
            "count": count,
            "offset": params.query.offset,
            "limit": params.limit,
        });
        Ok(page.to_string().into_bytes())
    })
    .await?;
    Ok(json_bytes(StatusCode::OK, bytes))
}

fn not_found(id: &str) -> Fail {
    Fail::NotFound(format!("User with id: {id} was not found"))
}

/// `GET /admin/users/:id`
async fn get_user(app: &Arc<App>, id: String) -> Result<Response, Fail> {
    blocking(app, move |app| match app.store.live_user(&id)? {
        Some(u) => Ok(user_envelope(&u)),
        None => Err(not_found(&id)),
    })
    .await
}

/// `POST /admin/users`
async fn create_user(app: &Arc<App>, body: Value) -> Result<Response, Fail> {
    let input = validate::create_user(&body)?;
    blocking(app, move |app| {
        // Medusa skips hashing an empty password and stores NULL: that user can never log in.
        let password_hash = (!input.password.is_empty()).then(|| hash_password(&input.password));
        let new = NewUser {
            id: app.store.new_id(),
            created_at: js_now(),
            email: input.email.to_lowercase(),
            first_name: input.first_name.clone(),
            last_name: input.last_name.clone(),
            role: input.role.clone(),
            password_hash,
            api_token: None,
            metadata: None,
        };
        match app.store.insert_user(&new) {
            Ok(row) => Ok(json_response(
                StatusCode::OK,
                &json!({ "user": render::created_user(&row, &input.provided) }),
            )),
            Err(InsertError::DuplicateEmail) => Err(Fail::Invalid(
                "A user with the same email already exists.".to_owned(),
            )),
            Err(InsertError::Sql(e)) => Err(e.into()),
        }
    })
    .await
}

/// `POST /admin/users/:id`: the body is validated before the user is looked up (case 092).
async fn update_user(app: &Arc<App>, id: String, body: Value) -> Result<Response, Fail> {
    let (changes, set_something) = validate::update_user(&body)?;
    blocking(app, move |app| {
        match app.store.update_user(&id, &changes)? {
            Some((row, _changed)) => Ok(json_response(
                StatusCode::OK,
                &json!({ "user": render::updated_user(&row, set_something) }),
            )),
            None => Err(not_found(&id)),
        }
    })
    .await
}

/// `DELETE /admin/users/:id`: a soft delete that answers the same for unknown ids.
async fn delete_user(app: &Arc<App>, id: String) -> Result<Response, Fail> {
    blocking(app, move |app| {
        app.store.soft_delete(&id)?;
        Ok(json_response(
            StatusCode::OK,
            &json!({ "id": id, "object": "user", "deleted": true }),
        ))
    })
    .await
}

/// `POST /admin/users/password-token`: 204 whether or not the address exists.
async fn password_token(app: &Arc<App>, body: Value) -> Result<Response, Fail> {
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
        app.outbox.publish(&user.email, &token);
        tracing::info!(user_id = %user.id, "password reset token issued");
        Ok(())
    })
    .await?;
    Ok(response(StatusCode::NO_CONTENT, None, Body::empty()))
}

/// `POST /admin/users/reset-password`
async fn reset_password(app: &Arc<App>, body: Value) -> Result<Response, Fail> {
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
            return Err(Fail::Reply(Box::new(text(
                StatusCode::UNAUTHORIZED,
                Some(HTML_TYPE),
                "Invalid or expired password reset token",
            ))));
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

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(!Route::ResetPassword.needs_auth());
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
