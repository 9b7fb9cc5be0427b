//! The session: logging in, when the JWT expires and refreshing it, and who the credentials
//! speak for (a user, or a v2 secret key that belongs to no user).

use secrecy::SecretString;

use super::{Client, Credentials, Identity};
use crate::api::dialect::Dialect;
use crate::api::error::ApiError;
use crate::api::transport::is_secret_key;
use crate::api::types::{ListParams, User};
use crate::api::{v1, v2};

impl Client {
    /// Exchanges e-mail and password for a JWT, keeps it as this client's credentials and
    /// returns it (the caller may save it).
    pub async fn login(&self, email: &str, password: &str) -> Result<SecretString, ApiError> {
        let token = match self.detected().await? {
            Dialect::V1 => v1::login(&self.transport, email, password).await?,
            Dialect::V2 => v2::login(&self.transport, email, password).await?,
        };
        self.set_credentials(Credentials::Jwt(token.clone()));
        Ok(token)
    }

    /// When the session JWT stops working (seconds since the epoch), when it says so.
    pub fn session_expires_at(&self) -> Option<i64> {
        match self.credentials() {
            Credentials::Jwt(token) => v2::expires_at(&token),
            _ => None,
        }
    }

    /// Swaps the session JWT for a fresh one, where the server can (v2), and returns it for
    /// saving. `Ok(None)` where sessions cannot be refreshed (v1, API tokens).
    pub async fn refresh_session(&self) -> Result<Option<SecretString>, ApiError> {
        if !matches!(self.credentials(), Credentials::Jwt(_)) {
            return Ok(None);
        }
        match self.dialect().await? {
            Dialect::V1 => Ok(None),
            Dialect::V2 => {
                let token = v2::refresh(&self.transport).await?;
                self.set_credentials(Credentials::Jwt(token.clone()));
                Ok(Some(token))
            }
        }
    }

    /// Who the credentials belong to.
    pub async fn me(&self) -> Result<User, ApiError> {
        match self.dialect().await? {
            Dialect::V1 => v1::me(&self.transport).await,
            Dialect::V2 => v2::me(&self.transport).await,
        }
    }

    /// Who the credentials speak for, a user or (v2) a secret key.
    pub async fn identity(&self) -> Result<Identity, ApiError> {
        let secret_key = matches!(
            self.credentials(),
            Credentials::ApiToken(ref t) if is_secret_key(secrecy::ExposeSecret::expose_secret(t))
        );
        if secret_key && self.dialect().await? == Dialect::V2 {
            // `/me` would answer 404; a cheap list proves the key works.
            self.list(&ListParams {
                limit: Some(1),
                ..ListParams::default()
            })
            .await?;
            return Ok(Identity::SecretKey);
        }
        self.me().await.map(|u| Identity::User(Box::new(u)))
    }

    /// Whether `id` is the signed-in user (never true for an API token or secret key).
    pub async fn is_self(&self, id: &str) -> Result<bool, ApiError> {
        match self.credentials() {
            Credentials::Jwt(token) => {
                if let Some(actor) = v2::session_user_id(&token) {
                    return Ok(actor == id.trim());
                }
                Ok(self.me().await?.id == id.trim())
            }
            Credentials::ApiToken(_) => match self.identity().await? {
                Identity::User(me) => Ok(me.id == id.trim()),
                Identity::SecretKey => Ok(false),
            },
            Credentials::None => Ok(false),
        }
    }
}
