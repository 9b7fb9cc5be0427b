//! Creating a user on Medusa v2, which has no `POST /admin/users`: invite → register the login →
//! accept the invite, resumable (each step first looks for what an interrupted run left) and
//! rerun on passing failures.

use super::auth::{actor_id, emailpass, register_or_login};
use super::invites::{create_invite, list_invites, resend_invite, strip_nulls};
use super::users::find_by_email;
use crate::api::error::ApiError;
use crate::api::invites::{CreateInvite, Invite, InviteListParams};
use crate::api::operation::Operation;
use crate::api::transport::{Auth, Call, Transport};
use crate::api::types::{CreateUser, User, UserEnvelope};

/// Which step of a create failed, for a message that says what a retry will do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateStep {
    Invite,
    Register,
    Accept,
}

impl CreateStep {
    pub fn number(self) -> u8 {
        match self {
            CreateStep::Invite => 1,
            CreateStep::Register => 2,
            CreateStep::Accept => 3,
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            CreateStep::Invite => "invite",
            CreateStep::Register => "register the login",
            CreateStep::Accept => "accept the invite",
        }
    }
}

/// Says which step stopped and what running the same create again does.
fn at_step(step: CreateStep, email: &str, error: ApiError) -> ApiError {
    // What to do first, the cause last: a status line cuts long messages at the end.
    let next = match step {
        CreateStep::Invite => "nothing was made; run the same create again".to_owned(),
        CreateStep::Register => format!(
            "the invite for {email} is pending: run the same create again to resume (or revoke \
             the invite)"
        ),
        CreateStep::Accept => {
            "invite and login are ready: run the same create again, same password, to finish"
                .to_owned()
        }
    };
    let cause = match (&error, step) {
        // Accept answers 401 to every failure; the generic 401 text would mislead.
        (ApiError::Unauthorized { .. }, CreateStep::Accept) => "the server refused".to_owned(),
        _ => error.message(),
    };
    let message = format!(
        "create stopped at step {}/3 ({}); {next}. Cause: {cause}",
        step.number(),
        step.describe()
    );
    match error {
        ApiError::Unauthorized { .. } => ApiError::Unauthorized { message },
        ApiError::NotFound { .. } => ApiError::NotFound { message },
        ApiError::InvalidData { kind, .. } => ApiError::InvalidData { kind, message },
        ApiError::Server { status, .. } => ApiError::Server { status, message },
        ApiError::Network { .. } => ApiError::Network { message },
        ApiError::Decode { status, .. } => ApiError::Decode { status, message },
        ApiError::Usage { .. } => ApiError::Usage { message },
        // These say enough on their own (and the read-only refusal happens before step 1).
        e @ (ApiError::Timeout { .. } | ApiError::ReadOnly { .. }) => e,
    }
}

/// Whether a failure may have been passing (worth running the resumable flow once more).
fn is_transient(e: &ApiError) -> bool {
    matches!(
        e,
        ApiError::Network { .. }
            | ApiError::Timeout { .. }
            | ApiError::Server {
                status: 500 | 502 | 503 | 504,
                ..
            }
    )
}

/// `admin.users.create` for v2. Every step looks first for what an earlier, interrupted run
/// left (a user, a pending invite, a registered login with this password), so running it
/// again never makes a second user or a second invite. Passing failures rerun the flow up to
/// the client's retry count.
pub(crate) async fn create(
    t: &Transport,
    user: &CreateUser,
    progress: &(dyn Fn(CreateStep) + Send + Sync),
) -> Result<User, ApiError> {
    if user.role.is_some() {
        return Err(ApiError::usage(
            "this server (Medusa v2) has no user roles; leave the role out",
        ));
    }
    let email = user.email.trim().to_lowercase();
    let mut round = 0u32;
    loop {
        match create_once(t, &email, user, progress).await {
            Err(e) if is_transient(&e) && round < t.options().max_retries => {
                tracing::info!("create user: {}; resuming", e.status_line());
                round += 1;
            }
            other => return other,
        }
    }
}

async fn create_once(
    t: &Transport,
    email: &str,
    user: &CreateUser,
    progress: &(dyn Fn(CreateStep) + Send + Sync),
) -> Result<User, ApiError> {
    // Done already? A finished create run again logs in as that very user.
    if let Some(existing) = find_by_email(t, email).await? {
        if let Ok(token) = emailpass(
            t,
            "/auth/user/emailpass",
            email,
            &user.password,
            Operation::LogIn,
        )
        .await
            && actor_id(&token).as_deref() == Some(existing.id.as_str())
        {
            tracing::info!("create user: {email} was made by an earlier run");
            return Ok(existing);
        }
        return Err(ApiError::InvalidData {
            kind: "duplicate_error".into(),
            message: "A user with the same email already exists.".into(),
        });
    }

    progress(CreateStep::Invite);
    let invite = pending_invite(t, email)
        .await
        .map_err(|e| at_step(CreateStep::Invite, email, e))?;

    progress(CreateStep::Register);
    let registration = register_or_login(t, email, &user.password)
        .await
        .map_err(|e| at_step(CreateStep::Register, email, e))?;

    progress(CreateStep::Accept);
    let body = serde_json::json!({
        "first_name": user.first_name,
        "last_name": user.last_name,
    });
    // Never send `email`: accept would make the user with that address instead.
    let body = strip_nulls(body);
    let call = Call::post(
        "/admin/invites/accept".into(),
        body,
        Operation::AcceptInvite,
    )
    .with_query(vec![("token".into(), invite.token.clone())])
    .with_auth(Auth::Bearer(registration));
    match t.execute::<UserEnvelope>(call).await {
        Ok(env) => Ok(env.user),
        Err(e) => {
            // Accept answers 401 for every failure; and an answer lost on the way may hide a
            // success. Look before deciding.
            if let Ok(Some(made)) = find_by_email(t, email).await {
                return Ok(made);
            }
            Err(at_step(CreateStep::Accept, email, e))
        }
    }
}

/// The pending invite for `email`: the one an earlier run made (renewed when expired), or a
/// new one.
async fn pending_invite(t: &Transport, email: &str) -> Result<Invite, ApiError> {
    let existing = list_invites(
        t,
        &InviteListParams {
            email: Some(email.to_owned()),
            limit: Some(1),
            ..InviteListParams::default()
        },
    )
    .await?
    .invites
    .into_iter()
    .find(|i| i.email == email);
    match existing {
        Some(invite) if invite.status() == crate::api::invites::InviteStatus::Pending => Ok(invite),
        Some(invite) => resend_invite(t, &invite.id).await,
        None => {
            create_invite(
                t,
                &CreateInvite {
                    email: email.to_owned(),
                    role: None,
                },
            )
            .await
        }
    }
}
