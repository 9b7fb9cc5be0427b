//! The HTTP layer both Medusa dialects share: one logical call becomes one or more attempts
//! (retries with backoff, `Retry-After`, one `Idempotency-Key` per call), each answer is read
//! with a size cap and classified into an [`ApiError`]. Which routes exist and what their bodies
//! mean is the dialects' business (`v1.rs`, `v2/`); nothing here knows a route.
//!
//! - `options`: what the client is told ([`ClientOptions`]) and how flags become options;
//! - `credentials`: who the client is, and how that travels in headers;
//! - `call`: one logical request ([`Call`]) and building its parts;
//! - `answer`: reading an answer, decoding it, and classifying failures into [`ApiError`];
//! - here: [`Transport`], which runs calls with the retry rules.

mod answer;
mod call;
mod credentials;
mod options;

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use reqwest::Method;
use serde::de::DeserializeOwned;
use url::Url;

use super::error::ApiError;
use super::retry::AttemptFailure;

pub(crate) use answer::{Answer, Failed, with_attempts};
pub use answer::{MAX_BODY_BYTES, decode};
use answer::{read_body, retry_after};
pub(crate) use call::{Auth, Call, id_path, to_json};
pub(crate) use credentials::TokenStyle;
pub use credentials::{Credentials, is_secret_key, jwt_claims};
pub use options::{ClientOptions, DEFAULT_BASE_URL, parse_base_url, parse_header};

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
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
