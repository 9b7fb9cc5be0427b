//! Secret API keys (v2): the working keys a user created, which outlive the user, and revoking
//! one. Where the server has no secret keys there are none to list or revoke.

use super::Client;
use crate::api::error::ApiError;
use crate::api::invites::ApiKey;
use crate::api::v2;

impl Client {
    /// The working secret keys a user created (they outlive the user). Empty where the server
    /// has no secret keys.
    pub async fn secret_keys_created_by(&self, user_id: &str) -> Result<Vec<ApiKey>, ApiError> {
        if !self.capabilities().await?.secret_keys {
            return Ok(Vec::new());
        }
        v2::secret_keys_created_by(&self.transport, user_id).await
    }

    pub async fn revoke_api_key(&self, id: &str) -> Result<ApiKey, ApiError> {
        if !self.capabilities().await?.secret_keys {
            return Err(ApiError::usage("this server has no secret API keys"));
        }
        v2::revoke_api_key(&self.transport, id).await
    }
}
