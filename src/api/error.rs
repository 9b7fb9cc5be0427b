//! One error type for every call of the client. Each variant maps to one CLI exit code and
//! renders as a single line that fits a status bar; none of them ever carries a credential.

use std::time::Duration;

use serde::Deserialize;

/// The broad class of a failure, for exit codes and for deciding what the UI does next
/// (a 401 opens the login dialog, a network error offers a retry, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    Unauthorized,
    NotFound,
    InvalidData,
    Server,
    Network,
    Timeout,
    Decode,
    ReadOnly,
    Usage,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// HTTP 401. Medusa's body is the bare text `Unauthorized`.
    #[error("unauthorized: {message}")]
    Unauthorized { message: String },
    /// HTTP 404 with Medusa's `{type: "not_found", message}`.
    #[error("not found: {message}")]
    NotFound { message: String },
    /// HTTP 400 (and other 4xx) with Medusa's `{type, message}`, or a check the client made
    /// before sending.
    #[error("invalid data: {message}")]
    InvalidData { kind: String, message: String },
    /// HTTP 5xx.
    #[error("server error (HTTP {status}): {message}")]
    Server { status: u16, message: String },
    /// The connection could not be made or was lost.
    #[error("network error: {message}")]
    Network { message: String },
    /// No complete answer within the configured timeout, after `attempts` tries.
    #[error("timed out after {}{}", humanize(*after), attempts_note(*attempts))]
    Timeout { after: Duration, attempts: u32 },
    /// An answer that is not what the API sends: an HTML error page, truncated JSON, …
    #[error("unreadable response (HTTP {status}): {message}")]
    Decode { status: u16, message: String },
    /// Refused before sending: the client is in read-only mode and this would change data.
    #[error("refused in read-only mode: {what} would change data on the server")]
    ReadOnly { what: String },
    /// Refused before sending: the input cannot work (an empty id, a filter this server does
    /// not have, a password a v2 server would burn a token on).
    #[error("{message}")]
    Usage { message: String },
}

fn attempts_note(attempts: u32) -> String {
    if attempts > 1 {
        format!(" ({attempts} attempts)")
    } else {
        String::new()
    }
}

fn humanize(d: Duration) -> String {
    if d.as_millis().is_multiple_of(1000) {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// Medusa's JSON error body. 500s add `code`, which we do not need.
#[derive(Debug, Deserialize)]
struct MedusaErrorBody {
    #[serde(rename = "type")]
    kind: Option<String>,
    message: Option<String>,
}

/// The longest message a status line gets; longer server texts are cut with an ellipsis.
const MAX_MESSAGE_CHARS: usize = 320;

impl ApiError {
    /// A login refused although the password may be right: the account needs more than a
    /// password (MFA, a verified e-mail). Its message says what; it must not read as "wrong
    /// password".
    pub fn needs_more_than_a_password(&self) -> bool {
        matches!(self, ApiError::Unauthorized { message }
            if message == super::v2::MFA_REQUIRED || message == super::v2::VERIFICATION_REQUIRED)
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            ApiError::Unauthorized { .. } => ErrorKind::Unauthorized,
            ApiError::NotFound { .. } => ErrorKind::NotFound,
            ApiError::InvalidData { .. } => ErrorKind::InvalidData,
            ApiError::Server { .. } => ErrorKind::Server,
            ApiError::Network { .. } => ErrorKind::Network,
            ApiError::Timeout { .. } => ErrorKind::Timeout,
            ApiError::Decode { .. } => ErrorKind::Decode,
            ApiError::ReadOnly { .. } => ErrorKind::ReadOnly,
            ApiError::Usage { .. } => ErrorKind::Usage,
        }
    }

    /// The error as one line, safe for a status bar or stderr: no newlines, bounded length.
    pub fn status_line(&self) -> String {
        one_line(&self.to_string(), MAX_MESSAGE_CHARS)
    }

    /// The message alone, without the class prefix (for inline form errors, where the field
    /// already says what went wrong: "A user with the same email already exists.").
    pub fn message(&self) -> String {
        match self {
            ApiError::Unauthorized { message }
            | ApiError::NotFound { message }
            | ApiError::InvalidData { message, .. }
            | ApiError::Server { message, .. }
            | ApiError::Network { message }
            | ApiError::Decode { message, .. }
            | ApiError::Usage { message } => one_line(message, MAX_MESSAGE_CHARS),
            ApiError::Timeout { .. } | ApiError::ReadOnly { .. } => self.status_line(),
        }
    }

    /// Input refused before sending (exit code 2).
    pub fn usage(message: impl Into<String>) -> Self {
        ApiError::Usage {
            message: message.into(),
        }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        ApiError::InvalidData {
            kind: "invalid_data".to_owned(),
            message: message.into(),
        }
    }

    /// Classifies a non-2xx answer from its status, content type and body.
    pub fn from_response(status: u16, content_type: Option<&str>, body: &[u8]) -> Self {
        let text = String::from_utf8_lossy(body);
        let trimmed = text.trim();
        let is_html = content_type.is_some_and(|c| c.contains("text/html"))
            || trimmed.starts_with("<!DOCTYPE")
            || trimmed.starts_with("<html");
        let parsed: Option<MedusaErrorBody> = serde_json::from_str(trimmed).ok();
        let medusa_message = parsed
            .as_ref()
            .and_then(|b| b.message.clone())
            .filter(|m| !m.trim().is_empty());

        match status {
            401 => ApiError::Unauthorized {
                // v1 says `Unauthorized` as text, v2 as `{"message":"Unauthorized"}`.
                message: if trimmed.is_empty()
                    || trimmed == "Unauthorized"
                    || medusa_message.as_deref() == Some("Unauthorized")
                {
                    "credentials missing, wrong or expired (HTTP 401)".to_owned()
                } else if let Some(message) = &medusa_message {
                    message.clone()
                } else if is_html {
                    html_summary(trimmed)
                } else {
                    trimmed.to_owned()
                },
            },
            404 => ApiError::NotFound {
                message: medusa_message.unwrap_or_else(|| {
                    if is_html {
                        format!(
                            "no such route on this server (HTTP 404): {}",
                            html_summary(trimmed)
                        )
                    } else {
                        "no such resource (HTTP 404)".to_owned()
                    }
                }),
            },
            400..=499 => match (medusa_message, is_html) {
                (Some(message), _) => ApiError::InvalidData {
                    kind: parsed
                        .and_then(|b| b.kind)
                        .unwrap_or_else(|| "invalid_data".to_owned()),
                    message,
                },
                (None, true) => ApiError::Decode {
                    status,
                    message: format!("an HTML error page: {}", html_summary(trimmed)),
                },
                (None, false) => ApiError::InvalidData {
                    kind: "invalid_data".to_owned(),
                    message: if trimmed.is_empty() {
                        format!("request rejected (HTTP {status})")
                    } else {
                        format!("{} (HTTP {status})", one_line(trimmed, 120))
                    },
                },
            },
            _ => ApiError::Server {
                status,
                message: match (medusa_message, is_html) {
                    (Some(m), _) => m,
                    (None, true) => format!("an HTML error page: {}", html_summary(trimmed)),
                    (None, false) if trimmed.is_empty() => "no details given".to_owned(),
                    (None, false) => one_line(trimmed, 120),
                },
            },
        }
    }
}

/// `<title>` of an HTML page, or its first text, tags stripped: enough to recognise a proxy's
/// "502 Bad Gateway" page without dumping markup on the operator.
fn html_summary(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    if let Some(start) = lower.find("<title>")
        && let Some(len) = lower[start + 7..].find("</title>")
    {
        let title = html[start + 7..start + 7 + len].trim();
        if !title.is_empty() && title != "Error" {
            return one_line(title, 80);
        }
    }
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text.replace("&nbsp;", " ");
    one_line(text.trim(), 80)
}

/// Collapses whitespace (newlines included), drops other control characters (a hostile server
/// must not get escape sequences onto the operator's terminal) and cuts to `max` characters.
pub(crate) fn one_line(s: &str, max: usize) -> String {
    // Escapes stay visible (`\e`, `\u{202e}`) rather than vanishing, so a strange server
    // message looks strange; see crate::safe_text.
    let collapsed =
        crate::safe_text::neutralised(&s.split_whitespace().collect::<Vec<_>>().join(" "));
    if collapsed.chars().count() <= max {
        collapsed
    } else {
        let cut: String = collapsed.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medusa_401_is_plain_text() {
        let e = ApiError::from_response(401, None, b"Unauthorized");
        assert_eq!(e.kind(), ErrorKind::Unauthorized);
        assert_eq!(e.kind(), ErrorKind::Unauthorized);
        assert!(e.status_line().contains("401"));
    }

    #[test]
    fn invalid_data_keeps_the_servers_message() {
        let e = ApiError::from_response(
            400,
            Some("application/json; charset=utf-8"),
            br#"{"type":"invalid_data","message":"A user with the same email already exists."}"#,
        );
        assert_eq!(
            e,
            ApiError::InvalidData {
                kind: "invalid_data".into(),
                message: "A user with the same email already exists.".into()
            }
        );
        assert_eq!(e.message(), "A user with the same email already exists.");
    }

    #[test]
    fn not_found_and_server_errors() {
        let e = ApiError::from_response(
            404,
            Some("application/json"),
            br#"{"type":"not_found","message":"User with id: x was not found"}"#,
        );
        assert_eq!(e.kind(), ErrorKind::NotFound);
        let e = ApiError::from_response(
            500,
            Some("application/json"),
            br#"{"code":"unknown_error","type":"unknown_error","message":"An unknown error occurred."}"#,
        );
        assert_eq!(e.kind(), ErrorKind::Server);
        assert_eq!(
            e.status_line(),
            "server error (HTTP 500): An unknown error occurred."
        );
    }

    #[test]
    fn html_pages_become_one_line() {
        let page = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><h1>502</h1>\n</body></html>";
        let e = ApiError::from_response(502, Some("text/html"), page.as_bytes());
        let line = e.status_line();
        assert!(!line.contains('\n'));
        assert!(line.contains("502 Bad Gateway"), "{line}");
        let e = ApiError::from_response(400, Some("text/html"), b"<!DOCTYPE html><html><head><title>Error</title></head><body><pre>SyntaxError: Unexpected end of JSON input<br> &nbsp; &nbsp;at JSON.parse</pre></body></html>");
        assert_eq!(e.kind(), ErrorKind::Decode);
        assert!(
            e.status_line().contains("SyntaxError"),
            "{}",
            e.status_line()
        );
    }

    #[test]
    fn status_line_is_bounded() {
        let long = "x".repeat(5000);
        let e = ApiError::from_response(500, Some("text/plain"), long.as_bytes());
        assert!(e.status_line().chars().count() <= MAX_MESSAGE_CHARS);
    }

    #[test]
    fn timeout_reads_well() {
        let e = ApiError::Timeout {
            after: Duration::from_secs(30),
            attempts: 1,
        };
        assert_eq!(e.status_line(), "timed out after 30 s");
        let e = ApiError::Timeout {
            after: Duration::from_secs(2),
            attempts: 3,
        };
        assert_eq!(e.status_line(), "timed out after 2 s (3 attempts)");
        assert_eq!(e.kind(), ErrorKind::Timeout);
    }
}
