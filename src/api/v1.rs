//! Medusa v1 (1.20.x): routes, request bodies and the quirks a real 1.20.11 showed
//! (`tests/fixtures/medusa-v1/`, `../shared/medusa-v1/CONTRACT.md`).

use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use super::error::ApiError;
use super::invites::{AcceptInvite, CreateInvite, Invite};
use super::operation::Operation;
use super::retry::AttemptFailure;
use super::transport::{Auth, Call, Transport, id_path, to_json, with_attempts};
use super::types::{
    CreateUser, Deleted, ListParams, ResetPassword, Role, UpdateUser, User, UserEnvelope, UserPage,
};

/// `POST /admin/auth/token`'s answer.
#[derive(Deserialize)]
pub struct AccessToken {
    pub access_token: String,
}

#[derive(Serialize)]
struct Login<'a> {
    email: &'a str,
    password: &'a str,
}

#[derive(Serialize)]
struct PasswordToken<'a> {
    email: &'a str,
}

pub(crate) async fn login(
    t: &Transport,
    email: &str,
    password: &str,
) -> Result<SecretString, ApiError> {
    let call = Call::post(
        "/admin/auth/token".into(),
        to_json(&Login { email, password })?,
        Operation::LogIn,
    )
    .with_auth(Auth::None)
    .idempotent(); // logging in twice is harmless
    let token: AccessToken = match t.execute(call).await {
        Err(ApiError::Unauthorized { .. }) => {
            return Err(ApiError::Unauthorized {
                message: "e-mail or password not accepted".into(),
            });
        }
        other => other?,
    };
    Ok(SecretString::from(token.access_token))
}

/// Who the credentials belong to (`GET /admin/auth`).
pub(crate) async fn me(t: &Transport) -> Result<User, ApiError> {
    let env: UserEnvelope = t
        .execute(Call::get(
            "/admin/auth".into(),
            Vec::new(),
            Operation::WhoAmI,
        ))
        .await
        .map_err(|e| match e {
            // Medusa v1 answers a bare 400 "Bad Request" when the session or JWT belongs to
            // a user who has since been deleted.
            ApiError::InvalidData { ref message, .. } if message.starts_with("Bad Request") => {
                ApiError::Unauthorized {
                    message: "the signed-in user no longer exists (deleted)".into(),
                }
            }
            other => other,
        })?;
    Ok(env.user)
}

pub(crate) async fn list(t: &Transport, params: &ListParams) -> Result<UserPage, ApiError> {
    t.execute(Call::get(
        "/admin/users".into(),
        params.to_query(),
        Operation::ListUsers,
    ))
    .await
}

pub(crate) async fn retrieve(t: &Transport, id: &str) -> Result<User, ApiError> {
    let env: UserEnvelope = t
        .execute(Call::get(user_path(id)?, Vec::new(), Operation::GetUser))
        .await?;
    Ok(env.user)
}

pub(crate) async fn find_by_email(t: &Transport, email: &str) -> Result<Option<User>, ApiError> {
    let page = list(
        t,
        &ListParams {
            email: Some(email.to_owned()),
            limit: Some(1),
            ..ListParams::default()
        },
    )
    .await?;
    Ok(page.users.into_iter().next())
}

/// `admin.users.create`. Safe to retry: when an attempt's outcome is unknown (timeout,
/// connection lost after sending, 502/504 from a proxy), the client looks the e-mail up
/// before trying again, and returns the user the lost attempt made instead of making a
/// second one or reporting "already exists".
pub(crate) async fn create(t: &Transport, user: &CreateUser) -> Result<User, ApiError> {
    let email = user.email.trim().to_lowercase();
    let body = to_json(user)?;
    let key = t.idempotency_key();
    let mut outcome_unknown = false;
    let mut attempt = 0u32;
    loop {
        if outcome_unknown && let Some(found) = find_by_email(t, &email).await? {
            tracing::info!("create user: an earlier attempt had succeeded; not sending again");
            return Ok(found);
        }
        let call = Call::post("/admin/users".into(), body.clone(), Operation::CreateUser);
        let failed = match t.attempt(&call, key.as_deref()).await {
            Ok(answer) => return answer.decode::<UserEnvelope>().map(|e| e.user),
            Err(failed) => failed,
        };
        if outcome_unknown && is_duplicate_email(&failed.error) {
            // Our earlier, unanswered attempt made the user; the look-up may have raced it.
            if let Some(found) = find_by_email(t, &email).await? {
                return Ok(found);
            }
        }
        // Did the server perhaps make the user without telling us? Only when the answer
        // was lost (timeout, dropped connection) or came from a failing gateway.
        outcome_unknown |= match failed.failure {
            AttemptFailure::TimedOut | AttemptFailure::ConnectionLost => true,
            AttemptFailure::Status(status) => {
                status >= 500 && !failed.failure.request_not_processed()
            }
            AttemptFailure::ConnectFailed | AttemptFailure::Refused => false,
        };
        let retriable = matches!(
            failed.failure,
            AttemptFailure::TimedOut | AttemptFailure::ConnectionLost
        ) || failed.failure.is_retriable(false);
        if !retriable || attempt >= t.options().max_retries {
            if outcome_unknown && let Ok(Some(found)) = find_by_email(t, &email).await {
                return Ok(found);
            }
            return Err(with_attempts(failed.error, attempt + 1));
        }
        t.wait_before_retry(attempt, &failed, call.what()).await;
        attempt += 1;
    }
}

pub(crate) async fn update(t: &Transport, id: &str, update: &UpdateUser) -> Result<User, ApiError> {
    if update.avatar_url.is_some() {
        return Err(ApiError::usage(
            "this server (Medusa v1) has no avatar_url field",
        ));
    }
    let call = Call::post(user_path(id)?, to_json(update)?, Operation::UpdateUser);
    let env: UserEnvelope = t.execute(call).await?;
    Ok(env.user)
}

/// Medusa soft-deletes, and answers 200 for an unknown id too, which makes a repeated delete
/// harmless: it is retried like a GET.
pub(crate) async fn delete(t: &Transport, id: &str) -> Result<Deleted, ApiError> {
    t.execute(Call::delete(user_path(id)?, Operation::DeleteUser))
        .await
}

/// Asks the server to e-mail a reset token (through its notification plugin). 204 for known
/// and unknown e-mails alike, by design.
pub(crate) async fn send_reset_password_token(t: &Transport, email: &str) -> Result<(), ApiError> {
    let call = Call::post(
        "/admin/users/password-token".into(),
        to_json(&PasswordToken { email })?,
        Operation::SendResetToken,
    )
    .with_auth(Auth::None)
    .idempotent(); // a second token is as good as the first
    match t.execute::<Option<serde_json::Value>>(call).await {
        Ok(_) => Ok(()),
        Err(ApiError::Server { status: 500, .. }) => Err(ApiError::Server {
            status: 500,
            message: "the server could not make a reset token; Medusa v1 fails this way for \
                      users created with an empty password"
                .into(),
        }),
        Err(e) => Err(e),
    }
}

/// Sets a new password with a token from the reset e-mail. Medusa answers a bad token in three
/// different ways (400 "invalid token", 401, or 500 for a bad signature or expiry); all of them
/// mean the same thing to the operator.
pub(crate) async fn reset_password(t: &Transport, reset: &ResetPassword) -> Result<User, ApiError> {
    let call = Call::post(
        "/admin/users/reset-password".into(),
        to_json(reset)?,
        Operation::ResetPassword,
    )
    .with_auth(Auth::None);
    match t.execute::<UserEnvelope>(call).await {
        Ok(env) => Ok(env.user),
        Err(ApiError::Unauthorized { .. } | ApiError::Server { status: 500, .. }) => {
            Err(invalid_token())
        }
        // "invalid token" from Medusa; the sandbox words its 400 for spent and expired
        // tokens more helpfully, and both mean the same to the operator.
        Err(ApiError::InvalidData { message, .. })
            if message.contains("invalid") && message.contains("token") =>
        {
            Err(invalid_token())
        }
        Err(e) => Err(e),
    }
}

// ----- invites ------------------------------------------------------------------------------

#[derive(Deserialize)]
struct InviteList {
    invites: Vec<Invite>,
}

/// Every invite: v1's list has no paging, search or order (the query is not even read).
pub(crate) async fn list_invites(t: &Transport) -> Result<Vec<Invite>, ApiError> {
    let list: InviteList = t
        .execute(Call::get(
            "/admin/invites".into(),
            Vec::new(),
            Operation::ListInvites,
        ))
        .await?;
    Ok(list.invites)
}

#[derive(Serialize)]
struct NewInvite<'a> {
    user: &'a str,
    role: Role,
}

/// `POST /admin/invites` answers a bare `OK`; the invite is found in the list afterwards by its
/// e-mail. Inviting a pending e-mail again renews that invite (same id, new token), so a
/// repeated create is harmless.
pub(crate) async fn create_invite(
    t: &Transport,
    invite: &CreateInvite,
) -> Result<Invite, ApiError> {
    let role = invite.role.unwrap_or_default();
    let call = Call::post(
        "/admin/invites".into(),
        to_json(&NewInvite {
            user: &invite.email,
            role,
        })?,
        Operation::CreateInvite,
    )
    .idempotent();
    t.execute_raw(call).await?;
    find_invite(t, |i| i.email == invite.email)
        .await?
        .ok_or_else(|| ApiError::Server {
            status: 200,
            message: format!(
                "the server accepted the invite for {} but does not list it",
                invite.email
            ),
        })
}

pub(crate) async fn resend_invite(t: &Transport, id: &str) -> Result<Invite, ApiError> {
    let call = Call::post(
        format!("{}/resend", invite_path(id)?),
        serde_json::json!({}),
        Operation::ResendInvite,
    );
    t.execute_raw(call).await.map_err(|e| match e {
        ApiError::InvalidData { message, .. } if message.contains("doesn't exist") => {
            ApiError::NotFound {
                message: format!("no pending invite with id {id}"),
            }
        }
        other => other,
    })?;
    find_invite(t, |i| i.id == id)
        .await?
        .ok_or_else(|| ApiError::NotFound {
            message: format!("no pending invite with id {id}"),
        })
}

pub(crate) async fn revoke_invite(t: &Transport, id: &str) -> Result<Deleted, ApiError> {
    t.execute(Call::delete(invite_path(id)?, Operation::RevokeInvite))
        .await
}

#[derive(Serialize)]
struct Accept<'a> {
    token: &'a str,
    user: AcceptUser<'a>,
}

#[derive(Serialize)]
struct AcceptUser<'a> {
    password: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_name: Option<&'a str>,
}

/// The invitee's side: unauthenticated, answers `OK` and logs nobody in.
pub(crate) async fn accept_invite(t: &Transport, accept: &AcceptInvite) -> Result<(), ApiError> {
    let call = Call::post(
        "/admin/invites/accept".into(),
        to_json(&Accept {
            token: &accept.token,
            user: AcceptUser {
                password: &accept.password,
                first_name: accept.first_name.as_deref(),
                last_name: accept.last_name.as_deref(),
            },
        })?,
        Operation::AcceptInvite,
    )
    .with_auth(Auth::None);
    t.execute_raw(call).await.map_err(|e| match e {
        ApiError::InvalidData { message, .. }
            if message == "Token is not valid" || message == "Invalid invite" =>
        {
            ApiError::InvalidData {
                kind: "invalid_token".into(),
                message: "the invite token is invalid, or the invite was accepted, revoked or \
                          has expired"
                    .into(),
            }
        }
        other => other,
    })?;
    Ok(())
}

async fn find_invite(
    t: &Transport,
    matches: impl Fn(&Invite) -> bool,
) -> Result<Option<Invite>, ApiError> {
    Ok(list_invites(t).await?.into_iter().find(|i| matches(i)))
}

fn user_path(id: &str) -> Result<String, ApiError> {
    id_path("/admin/users", id, "a user")
}

fn invite_path(id: &str) -> Result<String, ApiError> {
    id_path("/admin/invites", id, "an invite")
}

pub(crate) fn invalid_token() -> ApiError {
    ApiError::InvalidData {
        kind: "invalid_token".into(),
        message: "the reset token is invalid, expired or already used; request a new one".into(),
    }
}

fn is_duplicate_email(e: &ApiError) -> bool {
    matches!(e, ApiError::InvalidData { message, .. } if message.contains("same email already exists"))
}
