//! Who the client is: its [`Credentials`], how an API token travels on each dialect
//! ([`TokenStyle`]), the headers a call carries for its [`Auth`], and reading a JWT's claims.

use base64::Engine as _;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

use super::{Auth, Transport};

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

/// Headers that carry credentials; kept off the unauthenticated routes even when the operator
/// added them with `-H`.
fn is_credential_header(name: &HeaderName) -> bool {
    matches!(
        name.as_str(),
        "authorization" | "x-medusa-access-token" | "cookie"
    )
}

impl Transport {
    pub(super) fn headers_for(&self, auth: &Auth) -> HeaderMap {
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
    use crate::api::transport::ClientOptions;

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
