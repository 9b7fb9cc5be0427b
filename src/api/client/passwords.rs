//! Password resets on either dialect (asking the server to send a token, an admin minting one,
//! applying one) and the rule for new passwords.

use secrecy::SecretString;

use super::{Client, MIN_NEW_PASSWORD_CHARS};
use crate::api::dialect::Dialect;
use crate::api::error::ApiError;
use crate::api::types::{ResetPassword, User};
use crate::api::{v1, v2};

impl Client {
    /// `admin.users.sendResetPasswordToken`: asks the server to e-mail a reset token.
    pub async fn send_reset_password_token(&self, email: &str) -> Result<(), ApiError> {
        match self.detected().await? {
            Dialect::V1 => v1::send_reset_password_token(&self.transport, email).await,
            Dialect::V2 => v2::send_reset_password_token(&self.transport, email).await,
        }
    }

    /// Mints a reset token as an admin and returns it (v2.20+); where the server cannot, a
    /// usage error says so.
    pub async fn mint_reset_token(&self, user_id: &str) -> Result<SecretString, ApiError> {
        let caps = self.capabilities().await?;
        if !caps.reset.admin_mint {
            return Err(ApiError::usage(
                "this server cannot mint reset tokens; send one by e-mail instead",
            ));
        }
        v2::mint_reset_token(&self.transport, user_id).await
    }

    /// `admin.users.resetPassword`: sets a new password with a reset token. v1 answers with the
    /// user; v2 answers only that it worked (`None`).
    pub async fn reset_password(&self, reset: &ResetPassword) -> Result<Option<User>, ApiError> {
        match self.detected().await? {
            Dialect::V1 => v1::reset_password(&self.transport, reset).await.map(Some),
            Dialect::V2 => {
                // A failed attempt spends the token: check everything that can be checked.
                if reset.token.trim().is_empty() {
                    return Err(ApiError::usage("a reset token is required"));
                }
                check_new_password(&reset.password, true)?;
                v2::reset_password(&self.transport, &reset.token, &reset.password).await?;
                Ok(None)
            }
        }
    }
}

/// New passwords: never empty; where a failed attempt costs something (`strict`: v2 spends
/// the reset token), at least [`MIN_NEW_PASSWORD_CHARS`].
pub(super) fn check_new_password(password: &str, strict: bool) -> Result<(), ApiError> {
    if password.trim().is_empty() {
        return Err(ApiError::usage("the password must not be empty"));
    }
    if strict && password.chars().count() < MIN_NEW_PASSWORD_CHARS {
        return Err(ApiError::usage(format!(
            "the password must have at least {MIN_NEW_PASSWORD_CHARS} characters"
        )));
    }
    Ok(())
}
