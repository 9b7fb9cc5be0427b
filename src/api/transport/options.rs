//! What the client is told: [`ClientOptions`] (medusa-js's options plus timeout, backoff,
//! read-only and dialect), and parsing the base URL and `-H` headers the operator gives.

use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};
use url::Url;

use crate::api::retry::Backoff;

/// medusa-js's default backend.
pub const DEFAULT_BASE_URL: &str = "http://localhost:9000";

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
    pub dialect: crate::api::dialect::DialectChoice,
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
            dialect: crate::api::dialect::DialectChoice::Auto,
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
}
