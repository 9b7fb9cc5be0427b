//! Signing in on Medusa v2: the emailpass identity (log in, register), the session JWT (whose
//! it is, when it expires, refreshing it) and password resets (asking for a token, an admin
//! minting one, applying it, the dashboard's reset link).

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use super::users::user_path;
use crate::api::error::ApiError;
use crate::api::operation::Operation;
use crate::api::transport::{Auth, Call, Transport, jwt_claims, to_json};

#[derive(Serialize)]
struct Credentials<'a> {
    email: &'a str,
    password: &'a str,
}

/// What `POST /auth/user/emailpass` (and `/register`) answer: a token, or a token that still
/// needs a second factor or an e-mail verification.
#[derive(Deserialize)]
struct AuthAnswer {
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    mfa_required: bool,
    #[serde(default)]
    verification_required: bool,
}

#[derive(Deserialize)]
struct TokenAnswer {
    token: String,
}

/// The emailpass identity's token, whatever actor it belongs to (none yet, after a register).
pub(super) async fn emailpass(
    t: &Transport,
    route: &str,
    email: &str,
    password: &str,
    op: Operation,
) -> Result<SecretString, ApiError> {
    let call = Call::post(
        route.to_owned(),
        to_json(&Credentials { email, password })?,
        op,
    )
    .with_auth(Auth::None)
    .idempotent();
    let answer: AuthAnswer = t.execute(call).await?;
    if answer.mfa_required {
        return Err(ApiError::Unauthorized {
            message: MFA_REQUIRED.into(),
        });
    }
    if answer.verification_required {
        return Err(ApiError::Unauthorized {
            message: VERIFICATION_REQUIRED.into(),
        });
    }
    answer
        .token
        .map(SecretString::from)
        .ok_or_else(|| ApiError::Decode {
            status: 200,
            message: "the login answer carries no token".into(),
        })
}

/// A login the password alone cannot complete: the account needs a second factor.
pub const MFA_REQUIRED: &str = "this account needs a second factor (MFA), which medusa-users \
    does not do yet; use a secret API key (--api-token sk_…) instead";

/// A login the password alone cannot complete: the e-mail must be verified first.
pub const VERIFICATION_REQUIRED: &str = "this account must verify its e-mail first, which \
    medusa-users does not do yet; use a secret API key (--api-token sk_…) instead";

/// The user id a JWT speaks for ("" for an identity that is not a user yet).
pub(super) fn actor_id(token: &SecretString) -> Option<String> {
    jwt_claims(token.expose_secret())?
        .get("actor_id")?
        .as_str()
        .map(str::to_owned)
}

/// When a JWT stops working (seconds since the epoch).
pub(crate) fn expires_at(token: &SecretString) -> Option<i64> {
    jwt_claims(token.expose_secret())?.get("exp")?.as_i64()
}

pub(crate) async fn login(
    t: &Transport,
    email: &str,
    password: &str,
) -> Result<SecretString, ApiError> {
    // v2 compares e-mails exactly and medusa-users lower-cases every address it creates.
    let email = email.trim().to_lowercase();
    let token = match emailpass(
        t,
        "/auth/user/emailpass",
        &email,
        password,
        Operation::LogIn,
    )
    .await
    {
        Err(ApiError::Unauthorized { message }) if message.contains("Invalid email") => {
            return Err(ApiError::Unauthorized {
                message: "e-mail or password not accepted".into(),
            });
        }
        other => other?,
    };
    if actor_id(&token).is_some_and(|id| id.is_empty()) {
        return Err(ApiError::Unauthorized {
            message: format!(
                "{email} can log in but is not an admin user yet (an invite that was never \
                 accepted?)"
            ),
        });
    }
    Ok(token)
}

/// A fresh JWT for the current one (`POST /auth/token/refresh`), before it expires.
pub(crate) async fn refresh(t: &Transport) -> Result<SecretString, ApiError> {
    let call = Call::post(
        "/auth/token/refresh".into(),
        serde_json::json!({}),
        Operation::RefreshSession,
    )
    .idempotent();
    let answer: TokenAnswer = t.execute(call).await?;
    Ok(SecretString::from(answer.token))
}

/// A token for the emailpass identity of `email`: registered now, or (when an earlier run
/// registered it with the same password) logged in.
pub(super) async fn register_or_login(
    t: &Transport,
    email: &str,
    password: &str,
) -> Result<SecretString, ApiError> {
    match emailpass(
        t,
        "/auth/user/emailpass/register",
        email,
        password,
        Operation::RegisterLogin,
    )
    .await
    {
        Err(ApiError::Unauthorized { message }) if message.contains("already exists") => {
            match emailpass(t, "/auth/user/emailpass", email, password, Operation::LogIn).await {
                Ok(token) => Ok(token),
                Err(ApiError::Unauthorized { .. }) => Err(ApiError::InvalidData {
                    kind: "identity_exists".into(),
                    message: format!(
                        "a login for {email} already exists with another password (left by an \
                         earlier create, or a customer account with this e-mail); run the \
                         create again with that password, or use another e-mail"
                    ),
                }),
                Err(e) => Err(e),
            }
        }
        other => other,
    }
}

/// The user id a v2 session JWT speaks for, when it says so.
pub(crate) fn session_user_id(token: &SecretString) -> Option<String> {
    actor_id(token).filter(|id| !id.is_empty())
}

/// Asks Medusa to send a reset token (its notification provider delivers it). `201 Created`
/// as text for known and unknown e-mails alike.
pub(crate) async fn send_reset_password_token(t: &Transport, email: &str) -> Result<(), ApiError> {
    let call = Call::post(
        "/auth/user/emailpass/reset-password".into(),
        serde_json::json!({ "identifier": email.trim().to_lowercase() }),
        Operation::SendResetToken,
    )
    .with_auth(Auth::None)
    .idempotent(); // the newest token wins; a repeat only supersedes the first
    t.execute_raw(call).await?;
    Ok(())
}

/// An admin mints a reset token and sees it (2.20+). Older servers have no such route.
pub(crate) async fn mint_reset_token(t: &Transport, id: &str) -> Result<SecretString, ApiError> {
    let call = Call::post(
        format!("{}/reset-password", user_path(id)?),
        serde_json::json!({}),
        Operation::MintResetToken,
    );
    let answer: TokenAnswer = t.execute(call).await.map_err(|e| match e {
        ApiError::NotFound { message } if message.starts_with("no such route") => ApiError::usage(
            "this server cannot mint reset tokens (Medusa 2.20 or newer can); send one by \
                 e-mail instead",
        ),
        other => other,
    })?;
    Ok(SecretString::from(answer.token))
}

/// Applies a reset token. The token goes as the Bearer header (2.21 refuses it anywhere
/// else); it works once, a newer token voids it, and a failed attempt spends it, so the
/// caller checks the password before this is called and nothing here retries blindly.
pub(crate) async fn reset_password(
    t: &Transport,
    token: &str,
    password: &str,
) -> Result<(), ApiError> {
    let call = Call::post(
        "/auth/user/emailpass/update".into(),
        serde_json::json!({ "password": password }),
        Operation::ResetPassword,
    )
    .with_auth(Auth::Bearer(SecretString::from(token.trim().to_owned())));
    match t.execute_raw(call).await {
        Ok(_) => Ok(()),
        Err(ApiError::Unauthorized { .. }) => Err(crate::api::v1::invalid_token()),
        Err(e) => Err(e),
    }
}

/// `<admin>/reset-password?token=…&email=…`: the Medusa v2 dashboard's reset page, as Medusa's
/// own reset notification builds it (the admin's URL prefix, then `/reset-password` with the
/// token and e-mail in the query).
pub fn reset_link(base: &url::Url, token: &str, email: &str) -> url::Url {
    let mut link = base.clone();
    let path = format!("{}/reset-password", base.path().trim_end_matches('/'));
    link.set_path(&path);
    link.set_query(None);
    link.query_pairs_mut()
        .append_pair("token", token)
        .append_pair("email", email);
    link
}
