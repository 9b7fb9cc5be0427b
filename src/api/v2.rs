//! Medusa v2 (2.21.x): routes, bodies and the pitfalls a real 2.21.2 showed
//! (`../shared/medusa-v2/CONTRACT.md`, §6 above all). The main differences from v1:
//! logging in goes through `/auth/user/emailpass`; users have no role and no api_token;
//! there is no `POST /admin/users` (a user is made by invite → register → accept, which this
//! module does itself, resumably); resets are applied with the token as a Bearer header, and
//! a failed apply burns the token.

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use super::error::ApiError;
use super::invites::{AcceptInvite, ApiKey, CreateInvite, Invite, InviteListParams, InvitePage};
use super::operation::Operation;
use super::transport::{Auth, Call, Transport, id_path, jwt_claims, to_json};
use super::types::{
    CreateUser, Deleted, ListParams, OrderField, UpdateUser, User, UserEnvelope, UserPage,
};

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
async fn emailpass(
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
fn actor_id(token: &SecretString) -> Option<String> {
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

pub(crate) async fn me(t: &Transport) -> Result<User, ApiError> {
    let env: UserEnvelope = t
        .execute(Call::get(
            "/admin/users/me".into(),
            Vec::new(),
            Operation::WhoAmI,
        ))
        .await
        .map_err(|e| match e {
            ApiError::NotFound { message } if message.contains("apk_") => ApiError::NotFound {
                message: "signed in with a secret API key, which belongs to no user".into(),
            },
            // A deleted user's JWT still passes the middleware; `/me` then finds nobody.
            ApiError::NotFound { .. } => ApiError::Unauthorized {
                message: "the signed-in user no longer exists (deleted)".into(),
            },
            other => other,
        })?;
    Ok(env.user)
}

/// v2 answers 500 to what it does not validate; refuse those here with a clear message.
fn check_list(params: &ListParams) -> Result<(), ApiError> {
    if !params.roles.is_empty() {
        return Err(ApiError::usage(
            "this server (Medusa v2) has no user roles, so there is no role filter",
        ));
    }
    if params.order.is_some_and(|o| o.field == OrderField::Role) {
        return Err(ApiError::usage(
            "this server (Medusa v2) has no user roles to sort by",
        ));
    }
    Ok(())
}

pub(crate) async fn list(t: &Transport, params: &ListParams) -> Result<UserPage, ApiError> {
    check_list(params)?;
    let mut query = params.to_query();
    // v2 trims `q` itself; an empty one would still be sent as a filter.
    query.retain(|(k, v)| k != "q" || !v.trim().is_empty());
    t.execute(Call::get(
        "/admin/users".into(),
        query,
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

/// The user with exactly this e-mail (v2's `email=` filter is exact and case-sensitive).
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

#[derive(Serialize)]
struct UpdateBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    first_name: &'a Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_name: &'a Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    avatar_url: &'a Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: &'a Option<serde_json::Map<String, serde_json::Value>>,
}

pub(crate) async fn update(t: &Transport, id: &str, update: &UpdateUser) -> Result<User, ApiError> {
    if update.role.is_some() {
        return Err(ApiError::usage("this server (Medusa v2) has no user roles"));
    }
    if update.api_token.is_some() {
        return Err(ApiError::usage(
            "this server (Medusa v2) has no per-user API tokens; secret API keys replace them",
        ));
    }
    let body = UpdateBody {
        first_name: &update.first_name,
        last_name: &update.last_name,
        avatar_url: &update.avatar_url,
        metadata: &update.metadata,
    };
    let call = Call::post(user_path(id)?, to_json(&body)?, Operation::UpdateUser);
    let env: UserEnvelope = t.execute(call).await?;
    Ok(env.user)
}

/// Idempotent on v2: an unknown id answers 200 as well.
pub(crate) async fn delete(t: &Transport, id: &str) -> Result<Deleted, ApiError> {
    t.execute(Call::delete(user_path(id)?, Operation::DeleteUser))
        .await
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
        Err(ApiError::Unauthorized { .. }) => Err(super::v1::invalid_token()),
        Err(e) => Err(e),
    }
}

// ----- creating a user: invite → register → accept ----------------------------------------

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

fn strip_nulls(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => {
            serde_json::Value::Object(map.into_iter().filter(|(_, v)| !v.is_null()).collect())
        }
        other => other,
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
        Some(invite) if invite.status() == super::invites::InviteStatus::Pending => Ok(invite),
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

/// A token for the emailpass identity of `email`: registered now, or (when an earlier run
/// registered it with the same password) logged in.
async fn register_or_login(
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

// ----- invites --------------------------------------------------------------------------------

#[derive(Deserialize)]
struct InviteListWire {
    invites: Vec<Invite>,
    count: u64,
    offset: u64,
    limit: u64,
}

#[derive(Deserialize)]
struct InviteEnvelope {
    invite: Invite,
}

pub(crate) async fn list_invites(
    t: &Transport,
    params: &InviteListParams,
) -> Result<InvitePage, ApiError> {
    // Real v2 answers 500 to an order on a column invites lack: refused before sending.
    if params
        .order
        .is_some_and(|o| o.field == crate::api::InviteOrderField::Role)
    {
        return Err(ApiError::usage(
            "this server (Medusa v2) has no invite roles to sort by",
        ));
    }
    let mut query = Vec::new();
    if let Some(limit) = params.limit {
        query.push(("limit".to_owned(), limit.to_string()));
    }
    if let Some(offset) = params.offset {
        query.push(("offset".to_owned(), offset.to_string()));
    }
    if let Some(q) = params.q.as_ref().filter(|q| !q.trim().is_empty()) {
        query.push(("q".to_owned(), q.clone()));
    }
    if let Some(email) = &params.email {
        query.push(("email".to_owned(), email.clone()));
    }
    query.push(("order".to_owned(), params.order.unwrap_or_default().param()));
    let wire: InviteListWire = t
        .execute(Call::get(
            "/admin/invites".into(),
            query,
            Operation::ListInvites,
        ))
        .await?;
    Ok(InvitePage {
        invites: wire.invites,
        count: wire.count,
        offset: wire.offset,
        limit: wire.limit,
        server_paged: true,
    })
}

pub(crate) async fn create_invite(
    t: &Transport,
    invite: &CreateInvite,
) -> Result<Invite, ApiError> {
    if invite.role.is_some() {
        return Err(ApiError::usage(
            "this server (Medusa v2) has no roles for invites",
        ));
    }
    let call = Call::post(
        "/admin/invites".into(),
        serde_json::json!({ "email": invite.email }),
        Operation::CreateInvite,
    );
    let env: InviteEnvelope = t.execute(call).await?;
    Ok(env.invite)
}

pub(crate) async fn resend_invite(t: &Transport, id: &str) -> Result<Invite, ApiError> {
    let call = Call::post(
        format!("{}/resend", invite_path(id)?),
        serde_json::json!({}),
        Operation::ResendInvite,
    );
    let env: InviteEnvelope = t.execute(call).await.map_err(|e| match e {
        ApiError::InvalidData { message, .. } if message.contains("do not exist") => {
            ApiError::NotFound {
                message: format!("no pending invite with id {id}"),
            }
        }
        other => other,
    })?;
    Ok(env.invite)
}

pub(crate) async fn retrieve_invite(t: &Transport, id: &str) -> Result<Invite, ApiError> {
    let env: InviteEnvelope = t
        .execute(Call::get(
            invite_path(id)?,
            Vec::new(),
            Operation::GetInvite,
        ))
        .await?;
    Ok(env.invite)
}

pub(crate) async fn revoke_invite(t: &Transport, id: &str) -> Result<Deleted, ApiError> {
    t.execute(Call::delete(invite_path(id)?, Operation::RevokeInvite))
        .await
}

/// The invitee's side: register (or log in to) the login for the invited e-mail, then accept.
/// The e-mail comes from the invite token itself, so the account made is the one invited.
pub(crate) async fn accept_invite(t: &Transport, accept: &AcceptInvite) -> Result<User, ApiError> {
    let email = jwt_claims(accept.token.trim())
        .and_then(|c| c.get("email").and_then(|e| e.as_str()).map(str::to_owned))
        .ok_or_else(|| ApiError::usage("that is not an invite token from a Medusa v2 server"))?;
    let registration = register_or_login(t, &email, &accept.password).await?;
    let body = strip_nulls(serde_json::json!({
        "first_name": accept.first_name,
        "last_name": accept.last_name,
    }));
    let call = Call::post(
        "/admin/invites/accept".into(),
        body,
        Operation::AcceptInvite,
    )
    .with_query(vec![("token".into(), accept.token.trim().to_owned())])
    .with_auth(Auth::Bearer(registration));
    match t.execute::<UserEnvelope>(call).await {
        Ok(env) => Ok(env.user),
        Err(ApiError::Unauthorized { .. }) => Err(ApiError::InvalidData {
            kind: "invalid_token".into(),
            message: "the invite token is invalid, superseded by a resend, or the invite was \
                      accepted, revoked or has expired"
                .into(),
        }),
        Err(e) => Err(e),
    }
}

// ----- secret API keys ------------------------------------------------------------------------

#[derive(Deserialize)]
struct ApiKeyList {
    api_keys: Vec<ApiKey>,
}

/// The secret keys `user_id` created that still work: they keep working after the user is
/// deleted, so deleting someone offers to revoke them.
pub(crate) async fn secret_keys_created_by(
    t: &Transport,
    user_id: &str,
) -> Result<Vec<ApiKey>, ApiError> {
    let query = vec![
        ("type".to_owned(), "secret".to_owned()),
        ("limit".to_owned(), "1000".to_owned()),
    ];
    let list: ApiKeyList = t
        .execute(Call::get(
            "/admin/api-keys".into(),
            query,
            Operation::ListSecretKeys,
        ))
        .await?;
    Ok(list
        .api_keys
        .into_iter()
        .filter(|k| k.created_by.as_deref() == Some(user_id) && k.revoked_at.is_none())
        .collect())
}

pub(crate) async fn revoke_api_key(t: &Transport, id: &str) -> Result<ApiKey, ApiError> {
    #[derive(Deserialize)]
    struct Envelope {
        api_key: ApiKey,
    }
    let call = Call::post(
        format!("{}/revoke", id_path("/admin/api-keys", id, "an API key")?),
        serde_json::json!({}),
        Operation::RevokeSecretKey,
    )
    .idempotent();
    let env: Envelope = t.execute(call).await?;
    Ok(env.api_key)
}

fn user_path(id: &str) -> Result<String, ApiError> {
    id_path("/admin/users", id, "a user")
}

fn invite_path(id: &str) -> Result<String, ApiError> {
    id_path("/admin/invites", id, "an invite")
}

/// The user id a v2 session JWT speaks for, when it says so.
pub(crate) fn session_user_id(token: &SecretString) -> Option<String> {
    actor_id(token).filter(|id| !id.is_empty())
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
