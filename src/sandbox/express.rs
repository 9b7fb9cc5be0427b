//! What both dialects share, because both real servers are Express apps: the state handlers
//! work on, how a request ends early ([`Fail`]), the response shapes Express and Medusa produce
//! (JSON with a charset, plain text, finalhandler's HTML error page, the CORS preflight), body
//! reading with body-parser's limit and JSON syntax messages, and the hop to blocking workers
//! for database and hashing work.
//!
//! Routing, authentication and validation differ between Medusa v1 and v2 and live in
//! `v1/` and `v2/`.

use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, to_bytes};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};

use super::deviations::Deviation;
use super::outbox::Outbox;
use super::sessions::Sessions;
use super::store::Store;

/// body-parser's default limit.
pub const BODY_LIMIT: usize = 100 * 1024;
pub const JSON_TYPE: &str = "application/json; charset=utf-8";
pub const TEXT_TYPE: &str = "text/plain; charset=utf-8";
pub const HTML_TYPE: &str = "text/html; charset=utf-8";

/// Everything a request handler needs, whichever dialect it speaks.
pub(crate) struct App {
    pub store: Store,
    pub sessions: Sessions,
    pub outbox: Outbox,
    pub jwt_secret: String,
}

/// A request that ends before its handler's happy path.
pub(crate) enum Fail {
    /// 400 `{"type":"invalid_data","message":…}`
    Invalid(String),
    /// 404 `{"type":"not_found","message":…}`
    NotFound(String),
    /// Another `{"type":…,"message":…}` answer (v2's `not_allowed`, `unauthorized`, …).
    Typed {
        status: StatusCode,
        kind: &'static str,
        message: String,
    },
    /// 500, Medusa's opaque body; the cause is logged.
    Internal,
    /// Any other finished answer (plain-text 401s, HTML pages, …); boxed to keep `Result`s
    /// small on the happy path.
    Reply(Box<Response>),
}

impl std::fmt::Debug for Fail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fail::Invalid(m) => write!(f, "Invalid({m:?})"),
            Fail::NotFound(m) => write!(f, "NotFound({m:?})"),
            Fail::Typed {
                status,
                kind,
                message,
            } => write!(f, "Typed({status}, {kind}, {message:?})"),
            Fail::Internal => f.write_str("Internal"),
            Fail::Reply(r) => write!(f, "Reply({})", r.status()),
        }
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
    pub fn reply(r: Response) -> Fail {
        Fail::Reply(Box::new(r))
    }

    pub fn into_response(self) -> Response {
        match self {
            Fail::Invalid(message) => json_response(
                StatusCode::BAD_REQUEST,
                &json!({"type": "invalid_data", "message": message}),
            ),
            Fail::NotFound(message) => json_response(
                StatusCode::NOT_FOUND,
                &json!({"type": "not_found", "message": message}),
            ),
            Fail::Typed {
                status,
                kind,
                message,
            } => json_response(status, &json!({"type": kind, "message": message})),
            Fail::Internal => json_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                &json!({"code": "unknown_error", "type": "unknown_error",
                        "message": "An unknown error occurred."}),
            ),
            Fail::Reply(r) => *r,
        }
    }
}

/// Logs a token that could not be signed (a key problem, never the client's fault).
pub fn internal(context: &'static str) -> impl FnOnce(jsonwebtoken::errors::Error) -> Fail {
    move |e| {
        tracing::error!(error = %e, context, "cannot sign a token");
        Fail::Internal
    }
}

pub fn response(status: StatusCode, content_type: Option<&'static str>, body: Body) -> Response {
    let mut r = Response::new(body);
    *r.status_mut() = status;
    if let Some(ct) = content_type {
        r.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    }
    r
}

pub fn json_response(status: StatusCode, v: &Value) -> Response {
    json_bytes(status, v.to_string().into_bytes())
}

pub fn json_bytes(status: StatusCode, bytes: Vec<u8>) -> Response {
    response(status, Some(JSON_TYPE), Body::from(bytes))
}

pub fn text(
    status: StatusCode,
    content_type: Option<&'static str>,
    body: &'static str,
) -> Response {
    response(status, content_type, Body::from(body))
}

/// Adds a `Set-Cookie` header; a value that is not a valid header is a bug, answered as a 500.
pub fn with_cookie(mut r: Response, cookie: &str) -> Result<Response, Fail> {
    let value = HeaderValue::from_str(cookie).map_err(|_| Fail::Internal)?;
    r.headers_mut().insert(header::SET_COOKIE, value);
    Ok(r)
}

/// Express's default error page (finalhandler), without the stack trace.
pub fn html_page(status: StatusCode, message: &str) -> Response {
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

/// Express's 404 for a path no route matches: `Cannot GET /x`.
pub fn cannot(parts: &Parts) -> Fail {
    Fail::reply(html_page(
        StatusCode::NOT_FOUND,
        &format!("Cannot {} {}", parts.method, parts.uri.path()),
    ))
}

/// The `cors` middleware in front of Medusa's routers answers preflights itself, before
/// authentication (live v1: `OPTIONS /admin/users` is a 204 without credentials).
pub fn preflight() -> Response {
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

/// Runs database and hashing work off the async workers.
pub async fn blocking<T, F>(app: &Arc<App>, f: F) -> Result<T, Fail>
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

/// The whole body, up to body-parser's limit (past it, its HTML 413).
pub async fn read_body(body: Body) -> Result<axum::body::Bytes, Fail> {
    to_bytes(body, BODY_LIMIT).await.map_err(|_| {
        Fail::reply(html_page(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PayloadTooLargeError: request entity too large",
        ))
    })
}

/// The media type of the request, lower-cased, without parameters.
pub fn media_type(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|ct| ct.split(';').next())
        .map(|mime| mime.trim().to_ascii_lowercase())
}

/// body-parser's JSON reading in strict mode (objects and arrays only): `None` for an empty
/// body, otherwise the value or Node 20's `SyntaxError` text (without the `SyntaxError: `
/// prefix, which only v1's HTML page shows).
pub fn parse_json(bytes: &[u8]) -> Option<Result<Value, String>> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Some(Err("Unexpected token in JSON".to_owned()));
    };
    let first = text.trim_start().chars().next()?;
    if first != '{' && first != '[' {
        let shown: String = text.chars().take(32).collect();
        let more = if shown.len() < text.len() { "..." } else { "" };
        return Some(Err(format!(
            "Unexpected token '{first}', \"{shown}\"{more} is not valid JSON"
        )));
    }
    Some(serde_json::from_str(text).map_err(|e| {
        if e.is_eof() {
            "Unexpected end of JSON input".to_owned()
        } else {
            e.to_string()
        }
    }))
}

/// Logs one answered request (no bodies, no headers: they hold passwords and tokens).
pub fn log_request(parts: &Parts, response: &Response, started: Instant) {
    tracing::debug!(
        method = %parts.method,
        path = parts.uri.path(),
        status = response.status().as_u16(),
        micros = started.elapsed().as_micros() as u64,
        "sandbox request"
    );
}

/// Splits `/prefix/rest` when the first segment is `prefix` (case-insensitive, as Express
/// matches): `Some("/rest")`, `Some("")` for the prefix itself.
pub fn strip_segment<'a>(path: &'a str, prefix: &str) -> Option<&'a str> {
    let (head, rest) = path.split_at_checked(prefix.len())?;
    (head.eq_ignore_ascii_case(prefix) && (rest.is_empty() || rest.starts_with('/')))
        .then_some(rest)
}

/// The path's segments after a prefix, Express style: one optional trailing slash.
pub fn segments(rest: &str) -> Vec<&str> {
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    rest.split('/').skip(1).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_syntax_messages_like_node() {
        assert!(parse_json(b"  ").is_none());
        assert_eq!(
            parse_json(b"{\"a\": ").unwrap().unwrap_err(),
            "Unexpected end of JSON input"
        );
        assert!(
            parse_json(b"\"str\"")
                .unwrap()
                .unwrap_err()
                .starts_with("Unexpected token '\"'")
        );
        assert_eq!(parse_json(br#"{"a":1}"#).unwrap().unwrap(), json!({"a": 1}));
    }

    #[test]
    fn path_helpers() {
        assert_eq!(strip_segment("/Admin/users", "/admin"), Some("/users"));
        assert_eq!(strip_segment("/admin", "/admin"), Some(""));
        assert_eq!(strip_segment("/administrator", "/admin"), None);
        assert_eq!(strip_segment("/a", "/admin"), None);
        assert_eq!(segments("/users/"), ["users"]);
        assert_eq!(segments("/users//"), ["users", ""]);
        assert!(segments("").is_empty());
    }
}
