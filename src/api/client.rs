//! The HTTP client: medusa-js's `admin.users` (list, retrieve, create, update, delete,
//! sendResetPasswordToken, resetPassword) plus login and who-am-I, with retries done right.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use url::Url;

use super::error::ApiError;
use super::retry::{AttemptFailure, Backoff};
use super::types::{
    CreateUser, Deleted, ListParams, ResetPassword, UpdateUser, User, UserEnvelope, UserPage,
};

/// medusa-js's default backend.
pub const DEFAULT_BASE_URL: &str = "http://localhost:9000";
/// The largest response body the client reads; anything bigger is refused as undecodable
/// rather than filling memory (a `limit=0` list of 10,000 users is about 2.6 MB).
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;
/// Page size `list_all` uses.
pub const LIST_ALL_PAGE_SIZE: u32 = 500;

/// How the client proves who it is on authenticated routes.
#[derive(Clone, Default)]
pub enum Credentials {
    #[default]
    None,
    /// A user's `api_token`, sent as `x-medusa-access-token`.
    ApiToken(SecretString),
    /// A JWT from `POST /admin/auth/token`, sent as `Authorization: Bearer`.
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

/// One logical request: what to send, and how it may be retried.
struct Call<'a> {
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    body: Option<serde_json::Value>,
    /// Send credentials (false for login, password-token and reset-password).
    authenticated: bool,
    /// Safe to repeat after a timeout or lost connection.
    idempotent: bool,
    /// What the call is, for log lines: "list users".
    what: &'a str,
}

/// A failed attempt: the error to report, and what it means for retrying.
struct Failed {
    error: ApiError,
    failure: AttemptFailure,
    retry_after: Option<Duration>,
}

/// `POST /admin/auth/token`'s answer.
#[derive(Deserialize)]
pub struct AccessToken {
    pub access_token: String,
}

#[derive(Serialize)]
struct Login<'a> {
    email: &'a str,
    password: &'a str,
}

#[derive(Serialize)]
struct PasswordToken<'a> {
    email: &'a str,
}

/// The client. Cheap to clone: clones share the connection pool and the credentials, so a
/// login through one is seen by all.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    options: Arc<ClientOptions>,
    credentials: Arc<RwLock<Credentials>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.options.base_url.as_str())
            .field("credentials", &self.credentials().describe())
            .finish()
    }
}

impl Client {
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
        Ok(Client {
            http,
            options: Arc::new(options),
            credentials: Arc::new(RwLock::new(credentials)),
        })
    }

    pub fn base_url(&self) -> &Url {
        &self.options.base_url
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

    // ----- auth ---------------------------------------------------------------------------

    /// Exchanges e-mail and password for a JWT (`POST /admin/auth/token`), keeps it as this
    /// client's credentials and returns it (the caller may save it).
    pub async fn login(&self, email: &str, password: &str) -> Result<SecretString, ApiError> {
        let call = Call {
            method: Method::POST,
            path: "/admin/auth/token".into(),
            query: Vec::new(),
            body: Some(to_json(&Login { email, password })?),
            authenticated: false,
            idempotent: true, // logging in twice is harmless
            what: "log in",
        };
        let token: AccessToken = match self.execute(call).await {
            Err(ApiError::Unauthorized { .. }) => {
                return Err(ApiError::Unauthorized {
                    message: "e-mail or password not accepted".into(),
                });
            }
            other => other?,
        };
        let secret = SecretString::from(token.access_token);
        self.set_credentials(Credentials::Jwt(secret.clone()));
        Ok(secret)
    }

    /// Who the credentials belong to (`GET /admin/auth`).
    pub async fn me(&self) -> Result<User, ApiError> {
        let env: UserEnvelope = self
            .execute(Call::get("/admin/auth".into(), Vec::new(), "who am I"))
            .await
            .map_err(|e| match e {
                // Medusa v1 answers a bare 400 "Bad Request" when the session or JWT belongs to
                // a user who has since been deleted.
                ApiError::InvalidData { ref message, .. } if message.starts_with("Bad Request") => {
                    ApiError::Unauthorized {
                        message: "the signed-in user no longer exists (deleted)".into(),
                    }
                }
                other => other,
            })?;
        Ok(env.user)
    }

    // ----- admin.users --------------------------------------------------------------------

    /// `admin.users.list`: one page.
    pub async fn list(&self, params: &ListParams) -> Result<UserPage, ApiError> {
        self.execute(Call::get(
            "/admin/users".into(),
            params.to_query(),
            "list users",
        ))
        .await
    }

    /// Every user matching `params` (its limit and offset are ignored), paging through the
    /// server in pages of [`LIST_ALL_PAGE_SIZE`]. The result is one list object, as
    /// `users list --all --json` prints it. Users that move between pages while paging
    /// (someone created one meanwhile) are de-duplicated by id.
    pub async fn list_all(&self, params: &ListParams) -> Result<UserPage, ApiError> {
        let mut users: Vec<User> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut offset = 0u64;
        let mut count;
        loop {
            let page = self
                .list(&ListParams {
                    limit: Some(LIST_ALL_PAGE_SIZE),
                    offset: Some(offset),
                    ..params.clone()
                })
                .await?;
            count = page.count;
            let got = page.users.len() as u64;
            for user in page.users {
                if seen.insert(user.id.clone()) {
                    users.push(user);
                }
            }
            offset += got;
            if got == 0 || offset >= count {
                break;
            }
        }
        let total = users.len() as u64;
        Ok(UserPage {
            users,
            count: count.max(total),
            offset: 0,
            limit: total,
        })
    }

    /// `admin.users.retrieve`.
    pub async fn retrieve(&self, id: &str) -> Result<User, ApiError> {
        let env: UserEnvelope = self
            .execute(Call::get(user_path(id)?, Vec::new(), "get user"))
            .await?;
        Ok(env.user)
    }

    /// `admin.users.create`. Safe to retry: when an attempt's outcome is unknown (timeout,
    /// connection lost after sending, 502/504 from a proxy), the client looks the e-mail up
    /// before trying again, and returns the user the lost attempt made instead of making a
    /// second one or reporting "already exists".
    pub async fn create(&self, user: &CreateUser) -> Result<User, ApiError> {
        let email = user.email.trim().to_lowercase();
        let body = to_json(user)?;
        let key = self.idempotency_key();
        let mut outcome_unknown = false;
        let mut attempt = 0u32;
        loop {
            if outcome_unknown && let Some(found) = self.find_by_email(&email).await? {
                tracing::info!("create user: an earlier attempt had succeeded; not sending again");
                return Ok(found);
            }
            let call = Call {
                method: Method::POST,
                path: "/admin/users".into(),
                query: Vec::new(),
                body: Some(body.clone()),
                authenticated: true,
                idempotent: false,
                what: "create user",
            };
            let failed = match self.attempt(&call, key.as_deref()).await {
                Ok(bytes) => return decode::<UserEnvelope>(&bytes).map(|e| e.user),
                Err(failed) => failed,
            };
            if outcome_unknown && is_duplicate_email(&failed.error) {
                // Our earlier, unanswered attempt made the user; the look-up may have raced it.
                if let Some(found) = self.find_by_email(&email).await? {
                    return Ok(found);
                }
            }
            // Did the server perhaps make the user without telling us? Only when the answer
            // was lost (timeout, dropped connection) or came from a failing gateway.
            outcome_unknown |= match failed.failure {
                AttemptFailure::TimedOut | AttemptFailure::ConnectionLost => true,
                AttemptFailure::Status(status) => {
                    status >= 500 && !failed.failure.request_not_processed()
                }
                AttemptFailure::ConnectFailed | AttemptFailure::Refused => false,
            };
            let retriable = matches!(
                failed.failure,
                AttemptFailure::TimedOut | AttemptFailure::ConnectionLost
            ) || failed.failure.is_retriable(false);
            if !retriable || attempt >= self.options.max_retries {
                if outcome_unknown && let Ok(Some(found)) = self.find_by_email(&email).await {
                    return Ok(found);
                }
                return Err(failed.error);
            }
            self.wait_before_retry(attempt, &failed, call.what).await;
            attempt += 1;
        }
    }

    /// `admin.users.update`.
    pub async fn update(&self, id: &str, update: &UpdateUser) -> Result<User, ApiError> {
        let call = Call {
            method: Method::POST,
            path: user_path(id)?,
            query: Vec::new(),
            body: Some(to_json(update)?),
            authenticated: true,
            idempotent: false,
            what: "update user",
        };
        let env: UserEnvelope = self.execute(call).await?;
        Ok(env.user)
    }

    /// `admin.users.delete`. Medusa soft-deletes, and answers 200 for an unknown id too, which
    /// makes a repeated delete harmless: it is retried like a GET.
    pub async fn delete(&self, id: &str) -> Result<Deleted, ApiError> {
        let call = Call {
            method: Method::DELETE,
            path: user_path(id)?,
            query: Vec::new(),
            body: None,
            authenticated: true,
            idempotent: true,
            what: "delete user",
        };
        self.execute(call).await
    }

    /// `admin.users.sendResetPasswordToken`: asks the server to e-mail a reset token (through
    /// its notification plugin). 204 for known and unknown e-mails alike, by design.
    pub async fn send_reset_password_token(&self, email: &str) -> Result<(), ApiError> {
        let call = Call {
            method: Method::POST,
            path: "/admin/users/password-token".into(),
            query: Vec::new(),
            body: Some(to_json(&PasswordToken { email })?),
            authenticated: false,
            idempotent: true, // a second token is as good as the first
            what: "send reset token",
        };
        match self.execute::<Option<serde_json::Value>>(call).await {
            Ok(_) => Ok(()),
            Err(ApiError::Server { status: 500, .. }) => Err(ApiError::Server {
                status: 500,
                message: "the server could not make a reset token; Medusa v1 fails this way for \
                          users created with an empty password"
                    .into(),
            }),
            Err(e) => Err(e),
        }
    }

    /// `admin.users.resetPassword`: sets a new password with a token from the reset e-mail.
    /// Medusa answers a bad token in three different ways (400 "invalid token", 401, or 500 for
    /// a bad signature or expiry); all of them mean the same thing to the operator.
    pub async fn reset_password(&self, reset: &ResetPassword) -> Result<User, ApiError> {
        let call = Call {
            method: Method::POST,
            path: "/admin/users/reset-password".into(),
            query: Vec::new(),
            body: Some(to_json(reset)?),
            authenticated: false,
            idempotent: false, // a token works once
            what: "reset password",
        };
        match self.execute::<UserEnvelope>(call).await {
            Ok(env) => Ok(env.user),
            Err(ApiError::Unauthorized { .. } | ApiError::Server { status: 500, .. }) => {
                Err(invalid_token())
            }
            // "invalid token" from Medusa; the sandbox words its 400 for spent and expired
            // tokens more helpfully, and both mean the same to the operator.
            Err(ApiError::InvalidData { message, .. })
                if message.contains("invalid") && message.contains("token") =>
            {
                Err(invalid_token())
            }
            Err(e) => Err(e),
        }
    }

    // ----- helpers ------------------------------------------------------------------------

    async fn find_by_email(&self, email: &str) -> Result<Option<User>, ApiError> {
        let page = self
            .list(&ListParams {
                email: Some(email.to_owned()),
                limit: Some(1),
                ..ListParams::default()
            })
            .await?;
        Ok(page.users.into_iter().next())
    }

    fn idempotency_key(&self) -> Option<String> {
        (self.options.max_retries > 0).then(|| uuid::Uuid::new_v4().to_string())
    }

    /// Runs a call with the retry rules, and decodes the answer.
    async fn execute<T: DeserializeOwned>(&self, call: Call<'_>) -> Result<T, ApiError> {
        let key = (call.method == Method::POST)
            .then(|| self.idempotency_key())
            .flatten();
        let mut attempt = 0u32;
        loop {
            match self.attempt(&call, key.as_deref()).await {
                Ok(bytes) => return decode(&bytes),
                Err(failed) => {
                    if attempt >= self.options.max_retries
                        || !failed.failure.is_retriable(call.idempotent)
                    {
                        return Err(failed.error);
                    }
                    self.wait_before_retry(attempt, &failed, call.what).await;
                    attempt += 1;
                }
            }
        }
    }

    async fn wait_before_retry(&self, attempt: u32, failed: &Failed, what: &str) {
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

    /// One attempt: send, read the whole body, classify. Returns the body of a 2xx answer.
    async fn attempt(
        &self,
        call: &Call<'_>,
        idempotency_key: Option<&str>,
    ) -> Result<Vec<u8>, Failed> {
        if self.options.read_only && call.mutates() {
            return Err(Failed {
                error: ApiError::ReadOnly {
                    what: call.what.to_owned(),
                },
                failure: AttemptFailure::Refused,
                retry_after: None,
            });
        }
        let url = self.url(&call.path);
        let mut request = self.http.request(call.method.clone(), url);
        if !call.query.is_empty() {
            request = request.query(&call.query);
        }
        request = request.headers(self.headers_for(call.authenticated));
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
            return Ok(body);
        }
        Err(Failed {
            error: ApiError::from_response(status.as_u16(), content_type.as_deref(), &body),
            failure: AttemptFailure::Status(status.as_u16()),
            retry_after,
        })
    }

    fn url(&self, path: &str) -> Url {
        let mut url = self.options.base_url.clone();
        // Keep any path prefix of the base URL (a store behind /api, say).
        let prefix = url.path().trim_end_matches('/').to_owned();
        url.set_path(&format!("{prefix}{path}"));
        url
    }

    fn headers_for(&self, authenticated: bool) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in &self.options.headers {
            if authenticated || !is_credential_header(name) {
                headers.append(name.clone(), value.clone());
            }
        }
        if authenticated {
            let credential = match self.credentials() {
                Credentials::None => None,
                Credentials::ApiToken(t) => Some((
                    HeaderName::from_static("x-medusa-access-token"),
                    HeaderValue::from_str(t.expose_secret()),
                )),
                Credentials::Jwt(t) => Some((
                    reqwest::header::AUTHORIZATION,
                    HeaderValue::from_str(&format!("Bearer {}", t.expose_secret())),
                )),
            };
            // A token with characters a header cannot carry is simply not sent; the server
            // then answers 401, which tells the operator the credentials are wrong.
            if let Some((name, Ok(mut value))) = credential {
                value.set_sensitive(true);
                headers.insert(name, value);
            }
        }
        headers
    }

    fn transport_failure(&self, e: &reqwest::Error) -> Failed {
        let host = self.options.base_url.host_str().unwrap_or("the server");
        if e.is_timeout() {
            Failed {
                error: ApiError::Timeout {
                    after: self.options.timeout,
                },
                failure: AttemptFailure::TimedOut,
                retry_after: None,
            }
        } else if e.is_connect() {
            Failed {
                error: ApiError::Network {
                    message: format!("cannot connect to {}: {}", self.authority(), root_cause(e)),
                },
                failure: AttemptFailure::ConnectFailed,
                retry_after: None,
            }
        } else {
            Failed {
                error: ApiError::Network {
                    message: format!("connection to {host} lost: {}", root_cause(e)),
                },
                failure: AttemptFailure::ConnectionLost,
                retry_after: None,
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

impl<'a> Call<'a> {
    /// Whether the request changes data: anything but a read, except logging in (which only
    /// obtains a token).
    fn mutates(&self) -> bool {
        self.method != Method::GET && self.path != "/admin/auth/token"
    }

    fn get(path: String, query: Vec<(String, String)>, what: &'a str) -> Self {
        Call {
            method: Method::GET,
            path,
            query,
            body: None,
            authenticated: true,
            idempotent: true,
            what,
        }
    }
}

/// `/admin/users/<id>`, with the id percent-encoded so that an id typed by hand cannot
/// reach another route (`../auth`, `x?y`).
fn user_path(id: &str) -> Result<String, ApiError> {
    let id = id.trim();
    if id.is_empty() {
        return Err(ApiError::invalid("a user id is required"));
    }
    let encoded: String = url::form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>();
    Ok(format!("/admin/users/{}", encoded.replace('+', "%20")))
}

fn invalid_token() -> ApiError {
    ApiError::InvalidData {
        kind: "invalid_token".into(),
        message: "the reset token is invalid, expired or already used; request a new one".into(),
    }
}

fn is_duplicate_email(e: &ApiError) -> bool {
    matches!(e, ApiError::InvalidData { message, .. } if message.contains("same email already exists"))
}

fn to_json<T: Serialize>(value: &T) -> Result<serde_json::Value, ApiError> {
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
    super::error::one_line(&source.to_string(), 120)
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
    fn user_ids_cannot_escape_their_route() {
        assert_eq!(user_path("usr_01").unwrap(), "/admin/users/usr_01");
        assert_eq!(user_path("../auth").unwrap(), "/admin/users/..%2Fauth");
        assert_eq!(user_path("a b?c").unwrap(), "/admin/users/a%20b%3Fc");
        assert!(user_path("  ").is_err());
    }

    #[test]
    fn url_keeps_a_base_path_prefix() {
        let client = Client::new(
            ClientOptions {
                base_url: parse_base_url("https://shop.example.com/api/").unwrap(),
                ..ClientOptions::default()
            },
            Credentials::None,
        )
        .unwrap();
        assert_eq!(
            client.url("/admin/users").as_str(),
            "https://shop.example.com/api/admin/users"
        );
    }

    #[test]
    fn credentials_never_show_in_debug() {
        let c = Credentials::jwt("eyJ.secret.sig");
        assert_eq!(format!("{c:?}"), "Credentials::JWT");
    }
}
