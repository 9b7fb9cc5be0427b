//! The HTTP layer both Medusa dialects share: one logical call becomes one or more attempts
//! (retries with backoff, `Retry-After`, one `Idempotency-Key` per call), each answer is read
//! with a size cap and classified into an [`ApiError`]. Which routes exist and what their bodies
//! mean is the dialects' business (`v1.rs`, `v2.rs`); nothing here knows a route.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use base64::Engine as _;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;

use super::error::{ApiError, one_line};
use super::operation::Operation;
use super::retry::{AttemptFailure, Backoff};

/// medusa-js's default backend.
pub const DEFAULT_BASE_URL: &str = "http://localhost:9000";
/// The largest response body the client reads; anything bigger is refused as undecodable
/// rather than filling memory (a `limit=0` list of 10,000 users is about 2.6 MB).
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// How the client proves who it is on authenticated routes.
#[derive(Clone, Default)]
pub enum Credentials {
    #[default]
    None,
    /// An API token: a v1 user's `api_token` (sent as `x-medusa-access-token`) or a v2 secret
    /// key `sk_…` (sent as HTTP Basic). Which one is decided by the dialect.
    ApiToken(SecretString),
    /// A JWT from logging in, sent as `Authorization: Bearer`.
    Jwt(SecretString),
}

impl Credentials {
    pub fn api_token(token: impl Into<String>) -> Self {
        Credentials::ApiToken(SecretString::from(token.into()))
    }

    pub fn jwt(token: impl Into<String>) -> Self {
        Credentials::Jwt(SecretString::from(token.into()))
    }

    pub fn is_none(&self) -> bool {
        matches!(self, Credentials::None)
    }

    /// A short, secret-free description for headers and logs: "API token", "JWT", "none".
    pub fn describe(&self) -> &'static str {
        match self {
            Credentials::None => "none",
            Credentials::ApiToken(t) if is_secret_key(t.expose_secret()) => "secret key",
            Credentials::ApiToken(_) => "API token",
            Credentials::Jwt(_) => "JWT",
        }
    }
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credentials::{}", self.describe())
    }
}

/// Whether a token has the shape of a Medusa v2 secret API key.
pub fn is_secret_key(token: &str) -> bool {
    token.starts_with("sk_")
}

/// How an [`Credentials::ApiToken`] travels, which differs between the dialects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TokenStyle {
    /// v1: `x-medusa-access-token: <token>`.
    #[default]
    AccessTokenHeader,
    /// v2: `Authorization: Basic base64("sk_…:")`.
    Basic,
}

/// Client options, as medusa-js has them (`baseUrl`, `maxRetries`, custom headers) plus a
/// request timeout and the retry backoff.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub base_url: Url,
    /// Retries after the first attempt; 0 disables retrying (and the Idempotency-Key).
    pub max_retries: u32,
    /// The whole request, from connecting to the last byte of the body.
    pub timeout: Duration,
    pub backoff: Backoff,
    /// Extra headers on every request. Credential headers among them are not sent to the
    /// unauthenticated routes.
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// Skip TLS certificate verification (`--insecure`). Off unless asked for explicitly.
    pub insecure: bool,
    /// Refuse every request that would change data (`--read-only`). Enforced here, in the one
    /// place every request passes, so no caller can forget it.
    pub read_only: bool,
    /// Which Medusa the backend is, or `Auto` to ask it on first use.
    pub dialect: super::dialect::DialectChoice,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            // A literal that always parses; kept in one place.
            base_url: Url::parse(DEFAULT_BASE_URL).unwrap_or_else(|_| unreachable!()),
            max_retries: 2,
            timeout: Duration::from_secs(30),
            backoff: Backoff::default(),
            headers: Vec::new(),
            insecure: false,
            read_only: false,
            dialect: super::dialect::DialectChoice::Auto,
        }
    }
}

/// Parses `Name: value` (the CLI's `-H`).
pub fn parse_header(raw: &str) -> Result<(HeaderName, HeaderValue), String> {
    let (name, value) = raw
        .split_once(':')
        .ok_or_else(|| format!("header {raw:?} is not of the form 'Name: value'"))?;
    let name = HeaderName::from_bytes(name.trim().as_bytes())
        .map_err(|_| format!("invalid header name {:?}", name.trim()))?;
    let value = HeaderValue::from_str(value.trim())
        .map_err(|_| format!("invalid value for header {name}"))?;
    Ok((name, value))
}

/// Parses a base URL, accepting `host:port` without a scheme as `http://host:port`.
pub fn parse_base_url(raw: &str) -> Result<Url, String> {
    let raw = raw.trim();
    let with_scheme = if raw.contains("://") {
        raw.to_owned()
    } else {
        format!("http://{raw}")
    };
    let url = Url::parse(&with_scheme).map_err(|e| format!("invalid URL {raw:?}: {e}"))?;
    match url.scheme() {
        "http" | "https" => Ok(url),
        other => Err(format!(
            "unsupported URL scheme {other:?}: use http or https"
        )),
    }
}

/// Headers that carry credentials; kept off the unauthenticated routes even when the operator
/// added them with `-H`.
fn is_credential_header(name: &HeaderName) -> bool {
    matches!(
        name.as_str(),
        "authorization" | "x-medusa-access-token" | "cookie"
    )
}

/// Who a call authenticates as.
#[derive(Clone, Default)]
pub(crate) enum Auth {
    /// The client's credentials.
    #[default]
    Session,
    /// No credentials at all (login, password-token, reset, v1 accept).
    None,
    /// This bearer token instead of the session (v2: a reset token, a registration token).
    Bearer(SecretString),
}

/// One logical request: what to send, and how it may be retried.
pub(crate) struct Call {
    pub method: Method,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: Option<serde_json::Value>,
    pub auth: Auth,
    /// Safe to repeat after a timeout or lost connection.
    pub idempotent: bool,
    /// What the call is: whether it changes data (refused in read-only mode) and its name
    /// for log lines.
    pub op: Operation,
}

impl Call {
    pub fn get(path: String, query: Vec<(String, String)>, op: Operation) -> Self {
        Call {
            method: Method::GET,
            path,
            query,
            body: None,
            auth: Auth::Session,
            idempotent: true,
            op,
        }
    }

    /// A POST, which must not be repeated blindly unless marked [`Call::idempotent`].
    pub fn post(path: String, body: serde_json::Value, op: Operation) -> Self {
        Call {
            method: Method::POST,
            path,
            query: Vec::new(),
            body: Some(body),
            auth: Auth::Session,
            idempotent: false,
            op,
        }
    }

    /// A DELETE: Medusa answers 200 for a repeated one, so it is retried like a GET.
    pub fn delete(path: String, op: Operation) -> Self {
        Call {
            method: Method::DELETE,
            path,
            query: Vec::new(),
            body: None,
            auth: Auth::Session,
            idempotent: true,
            op,
        }
    }

    /// What the call is, for log lines: "list users".
    pub fn what(&self) -> &'static str {
        self.op.name()
    }

    pub fn with_auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    pub fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }

    pub fn with_query(mut self, query: Vec<(String, String)>) -> Self {
        self.query = query;
        self
    }
}

/// A failed attempt: the error to report, and what it means for retrying.
pub(crate) struct Failed {
    pub error: ApiError,
    pub failure: AttemptFailure,
    pub retry_after: Option<Duration>,
    /// The error answer's content type, when there was an answer.
    pub content_type: Option<String>,
}

/// A 2xx answer's body and content type.
pub(crate) struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        decode(&self.body).map_err(|e| match e {
            ApiError::Decode { message, .. } => ApiError::Decode {
                status: self.status,
                message,
            },
            other => other,
        })
    }

    pub fn is_json(&self) -> bool {
        self.content_type
            .as_deref()
            .is_some_and(|c| c.contains("json"))
    }
}

/// The shared HTTP machinery. Cheap to clone: clones share the connection pool and the
/// credentials, so a login through one is seen by all.
#[derive(Clone)]
pub(crate) struct Transport {
    http: reqwest::Client,
    options: Arc<ClientOptions>,
    credentials: Arc<RwLock<Credentials>>,
    token_style: Arc<RwLock<TokenStyle>>,
}

impl Transport {
    pub fn new(options: ClientOptions, credentials: Credentials) -> Result<Self, ApiError> {
        let http = reqwest::Client::builder()
            .timeout(options.timeout)
            .connect_timeout(options.timeout.min(Duration::from_secs(10)))
            .danger_accept_invalid_certs(options.insecure)
            .user_agent(concat!("medusa-users/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ApiError::Network {
                message: format!("cannot set up the HTTP client: {e}"),
            })?;
        Ok(Transport {
            http,
            options: Arc::new(options),
            credentials: Arc::new(RwLock::new(credentials)),
            token_style: Arc::new(RwLock::new(TokenStyle::default())),
        })
    }

    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    pub fn credentials(&self) -> Credentials {
        self.credentials
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    pub fn set_credentials(&self, credentials: Credentials) {
        *self
            .credentials
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = credentials;
    }

    pub fn set_token_style(&self, style: TokenStyle) {
        *self
            .token_style
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = style;
    }

    fn token_style(&self) -> TokenStyle {
        *self
            .token_style
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn idempotency_key(&self) -> Option<String> {
        (self.options.max_retries > 0).then(|| uuid::Uuid::new_v4().to_string())
    }

    /// Runs a call with the retry rules, and decodes the JSON answer.
    pub async fn execute<T: DeserializeOwned>(&self, call: Call) -> Result<T, ApiError> {
        self.execute_raw(call).await?.decode()
    }

    /// Runs a call with the retry rules; the 2xx answer as it came (for the routes that
    /// answer plain text such as `OK` or `Created`).
    pub async fn execute_raw(&self, call: Call) -> Result<Answer, ApiError> {
        let key = (call.method == Method::POST)
            .then(|| self.idempotency_key())
            .flatten();
        let mut attempt = 0u32;
        loop {
            match self.attempt(&call, key.as_deref()).await {
                Ok(answer) => return Ok(answer),
                Err(failed) => {
                    if attempt >= self.options.max_retries
                        || !failed.failure.is_retriable(call.idempotent)
                    {
                        return Err(with_attempts(failed.error, attempt + 1));
                    }
                    self.wait_before_retry(attempt, &failed, call.what()).await;
                    attempt += 1;
                }
            }
        }
    }

    pub async fn wait_before_retry(&self, attempt: u32, failed: &Failed, what: &str) {
        let delay = failed
            .retry_after
            .map(|d| d.min(self.options.backoff.max))
            .unwrap_or_else(|| self.options.backoff.delay(attempt));
        tracing::info!(
            "{what}: {}; retry {} of {} in {} ms",
            failed.error.status_line(),
            attempt + 1,
            self.options.max_retries,
            delay.as_millis()
        );
        tokio::time::sleep(delay).await;
    }

    /// One attempt: send, read the whole body, classify.
    pub async fn attempt(
        &self,
        call: &Call,
        idempotency_key: Option<&str>,
    ) -> Result<Answer, Failed> {
        if let Err(error) = call.op.check(self.options.read_only) {
            return Err(Failed {
                error,
                failure: AttemptFailure::Refused,
                retry_after: None,
                content_type: None,
            });
        }
        let url = self.url(&call.path);
        let mut request = self.http.request(call.method.clone(), url);
        if !call.query.is_empty() {
            request = request.query(&call.query);
        }
        request = request.headers(self.headers_for(&call.auth));
        if let Some(key) = idempotency_key {
            request = request.header("Idempotency-Key", key);
        }
        if let Some(body) = &call.body {
            request = request.json(body);
        }

        let started = Instant::now();
        let response = request
            .send()
            .await
            .map_err(|e| self.transport_failure(&e))?;
        let status = response.status();
        let retry_after = retry_after(response.headers());
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = read_body(response)
            .await
            .map_err(|e| self.body_failure(status, e))?;
        tracing::debug!(
            "{} {} -> {} in {} ms ({} bytes)",
            call.method,
            call.path,
            status.as_u16(),
            started.elapsed().as_millis(),
            body.len()
        );
        if status.is_success() {
            return Ok(Answer {
                status: status.as_u16(),
                content_type,
                body,
            });
        }
        Err(Failed {
            error: ApiError::from_response(status.as_u16(), content_type.as_deref(), &body),
            failure: AttemptFailure::Status(status.as_u16()),
            retry_after,
            content_type,
        })
    }

    pub fn url(&self, path: &str) -> Url {
        let mut url = self.options.base_url.clone();
        // Keep any path prefix of the base URL (a store behind /api, say).
        let prefix = url.path().trim_end_matches('/').to_owned();
        url.set_path(&format!("{prefix}{path}"));
        url
    }

    fn headers_for(&self, auth: &Auth) -> HeaderMap {
        let mut headers = HeaderMap::new();
        let authenticated = matches!(auth, Auth::Session);
        for (name, value) in &self.options.headers {
            if authenticated || !is_credential_header(name) {
                headers.append(name.clone(), value.clone());
            }
        }
        let credential = match auth {
            Auth::None => None,
            Auth::Bearer(t) => Some((
                reqwest::header::AUTHORIZATION,
                HeaderValue::from_str(&format!("Bearer {}", t.expose_secret())),
            )),
            Auth::Session => match self.credentials() {
                Credentials::None => None,
                Credentials::ApiToken(t) => Some(match self.token_style() {
                    TokenStyle::AccessTokenHeader => (
                        HeaderName::from_static("x-medusa-access-token"),
                        HeaderValue::from_str(t.expose_secret()),
                    ),
                    TokenStyle::Basic => (
                        reqwest::header::AUTHORIZATION,
                        HeaderValue::from_str(&format!(
                            "Basic {}",
                            base64::engine::general_purpose::STANDARD
                                .encode(format!("{}:", t.expose_secret()))
                        )),
                    ),
                }),
                Credentials::Jwt(t) => Some((
                    reqwest::header::AUTHORIZATION,
                    HeaderValue::from_str(&format!("Bearer {}", t.expose_secret())),
                )),
            },
        };
        // A token with characters a header cannot carry is simply not sent; the server
        // then answers 401, which tells the operator the credentials are wrong.
        if let Some((name, Ok(mut value))) = credential {
            value.set_sensitive(true);
            headers.insert(name, value);
        }
        headers
    }

    pub fn transport_failure(&self, e: &reqwest::Error) -> Failed {
        let host = self.options.base_url.host_str().unwrap_or("the server");
        if e.is_timeout() {
            Failed {
                error: ApiError::Timeout {
                    after: self.options.timeout,
                    attempts: 1,
                },
                failure: AttemptFailure::TimedOut,
                retry_after: None,
                content_type: None,
            }
        } else if e.is_connect() {
            Failed {
                error: ApiError::Network {
                    message: format!("cannot connect to {}: {}", self.authority(), root_cause(e)),
                },
                failure: AttemptFailure::ConnectFailed,
                retry_after: None,
                content_type: None,
            }
        } else {
            Failed {
                error: ApiError::Network {
                    message: format!("connection to {host} lost: {}", root_cause(e)),
                },
                failure: AttemptFailure::ConnectionLost,
                retry_after: None,
                content_type: None,
            }
        }
    }

    fn body_failure(&self, status: StatusCode, e: BodyError) -> Failed {
        match e {
            BodyError::TooLarge => Failed {
                error: ApiError::Decode {
                    status: status.as_u16(),
                    message: format!(
                        "response larger than {} MiB, refused",
                        MAX_BODY_BYTES / (1024 * 1024)
                    ),
                },
                // The server did answer; repeating would fetch the same giant body.
                failure: AttemptFailure::Status(status.as_u16()),
                retry_after: None,
                content_type: None,
            },
            BodyError::Transport(e) => self.transport_failure(&e),
        }
    }

    fn authority(&self) -> String {
        let url = &self.options.base_url;
        match (url.host_str(), url.port_or_known_default()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_owned(),
            _ => url.to_string(),
        }
    }
}

/// A timeout reports how many attempts it took ("timed out after 2 s (3 attempts)").
pub(crate) fn with_attempts(error: ApiError, attempts: u32) -> ApiError {
    match error {
        ApiError::Timeout { after, .. } => ApiError::Timeout { after, attempts },
        other => other,
    }
}

/// `<prefix>/<id>`, with the id percent-encoded so that an id typed by hand cannot reach
/// another route (`../auth`, `x?y`).
pub(crate) fn id_path(prefix: &str, id: &str, what: &str) -> Result<String, ApiError> {
    let id = id.trim();
    if id.is_empty() {
        return Err(ApiError::usage(format!("{what} id is required")));
    }
    let encoded: String = url::form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>();
    Ok(format!("{prefix}/{}", encoded.replace('+', "%20")))
}

pub(crate) fn to_json<T: Serialize>(value: &T) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(value)
        .map_err(|e| ApiError::invalid(format!("cannot encode request: {e}")))
}

/// Decodes a 2xx body as the API type `T` (public for the fuzz targets and property tests).
pub fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    // 204 No Content decodes as JSON `null` for callers that expect nothing.
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        body
    };
    serde_json::from_slice(body).map_err(|e| {
        let looks_html = body.trim_ascii_start().starts_with(b"<");
        ApiError::Decode {
            status: 200,
            message: if looks_html {
                "the server sent an HTML page instead of JSON; is the URL a Medusa backend?".into()
            } else {
                format!("not the JSON the API sends: {e}")
            },
        }
    })
}

enum BodyError {
    TooLarge,
    Transport(reqwest::Error),
}

async fn read_body(mut response: reqwest::Response) -> Result<Vec<u8>, BodyError> {
    if response
        .content_length()
        .is_some_and(|n| n > MAX_BODY_BYTES as u64)
    {
        return Err(BodyError::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Transport)? {
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(BodyError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// `Retry-After` in seconds (the HTTP-date form is rare enough from Medusa's proxies to ignore).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

/// The innermost error message: "Connection refused (os error 111)" rather than reqwest's
/// "error sending request for url (…)" wrapper.
fn root_cause(e: &reqwest::Error) -> String {
    let mut source: &dyn std::error::Error = e;
    while let Some(next) = source.source() {
        source = next;
    }
    one_line(&source.to_string(), 120)
}

/// The claims of a JWT, read without verifying it: the client only uses them to decide what
/// to do next (who am I, when to refresh, which e-mail an invite is for), never to trust.
pub fn jwt_claims(token: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_parsing() {
        let (n, v) = parse_header("X-Trace: abc 1").unwrap();
        assert_eq!(n.as_str(), "x-trace");
        assert_eq!(v.to_str().unwrap(), "abc 1");
        assert!(parse_header("no colon").is_err());
        assert!(parse_header("bad name: x").is_err());
    }

    #[test]
    fn base_url_parsing() {
        assert_eq!(
            parse_base_url("localhost:9000").unwrap().as_str(),
            "http://localhost:9000/"
        );
        assert!(parse_base_url("ftp://x").is_err());
        assert_eq!(
            parse_base_url("https://shop.example.com/api")
                .unwrap()
                .path(),
            "/api"
        );
    }

    #[test]
    fn ids_cannot_escape_their_route() {
        let p = |id| id_path("/admin/users", id, "a user");
        assert_eq!(p("usr_01").unwrap(), "/admin/users/usr_01");
        assert_eq!(p("../auth").unwrap(), "/admin/users/..%2Fauth");
        assert_eq!(p("a b?c").unwrap(), "/admin/users/a%20b%3Fc");
        assert_eq!(p("  ").unwrap_err().kind(), crate::api::ErrorKind::Usage);
    }

    #[test]
    fn url_keeps_a_base_path_prefix() {
        let transport = Transport::new(
            ClientOptions {
                base_url: parse_base_url("https://shop.example.com/api/").unwrap(),
                ..ClientOptions::default()
            },
            Credentials::None,
        )
        .unwrap();
        assert_eq!(
            transport.url("/admin/users").as_str(),
            "https://shop.example.com/api/admin/users"
        );
    }

    #[test]
    fn credentials_never_show_in_debug() {
        let c = Credentials::jwt("eyJ.secret.sig");
        assert_eq!(format!("{c:?}"), "Credentials::JWT");
        let c = Credentials::api_token("sk_0123");
        assert_eq!(format!("{c:?}"), "Credentials::secret key");
    }

    #[test]
    fn secret_keys_go_as_basic_auth_on_v2() {
        let transport =
            Transport::new(ClientOptions::default(), Credentials::api_token("sk_abc")).unwrap();
        let h = transport.headers_for(&Auth::Session);
        assert_eq!(h["x-medusa-access-token"], "sk_abc");
        transport.set_token_style(TokenStyle::Basic);
        let h = transport.headers_for(&Auth::Session);
        // base64("sk_abc:")
        assert_eq!(h["authorization"], "Basic c2tfYWJjOg==");
        assert!(h.get("x-medusa-access-token").is_none());
        let h = transport.headers_for(&Auth::None);
        assert!(h.get("authorization").is_none());
    }

    #[test]
    fn jwt_claims_are_read_without_verifying() {
        // {"actor_id":"user_1","exp":99}
        let token = "eyJhbGciOiJIUzI1NiJ9.eyJhY3Rvcl9pZCI6InVzZXJfMSIsImV4cCI6OTl9.sig";
        let claims = jwt_claims(token).unwrap();
        assert_eq!(claims["actor_id"], "user_1");
        assert_eq!(claims["exp"], 99);
        assert!(jwt_claims("garbage").is_none());
    }
}
