//! One logical request, [`Call`]: method, route, query, body, who it authenticates as
//! ([`Auth`]), whether it may be repeated, and what [`Operation`] it is; and building its route
//! and body safely.

use reqwest::Method;
use secrecy::SecretString;
use serde::Serialize;

use crate::api::error::ApiError;
use crate::api::operation::Operation;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_cannot_escape_their_route() {
        let p = |id| id_path("/admin/users", id, "a user");
        assert_eq!(p("usr_01").unwrap(), "/admin/users/usr_01");
        assert_eq!(p("../auth").unwrap(), "/admin/users/..%2Fauth");
        assert_eq!(p("a b?c").unwrap(), "/admin/users/a%20b%3Fc");
        assert_eq!(p("  ").unwrap_err().kind(), crate::api::ErrorKind::Usage);
    }
}
