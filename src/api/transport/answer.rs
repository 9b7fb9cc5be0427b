//! What comes back: a 2xx [`Answer`] read with a size cap and decoded, or a [`Failed`] attempt
//! classified into an [`ApiError`] and what it means for retrying.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use super::Transport;
use crate::api::error::{ApiError, one_line};
use crate::api::retry::AttemptFailure;

/// The largest response body the client reads; anything bigger is refused as undecodable
/// rather than filling memory (a `limit=0` list of 10,000 users is about 2.6 MB).
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

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

impl Transport {
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

    pub(super) fn body_failure(&self, status: StatusCode, e: BodyError) -> Failed {
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

pub(super) enum BodyError {
    TooLarge,
    Transport(reqwest::Error),
}

pub(super) async fn read_body(mut response: reqwest::Response) -> Result<Vec<u8>, BodyError> {
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
pub(super) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
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
