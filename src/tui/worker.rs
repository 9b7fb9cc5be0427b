//! The background worker: it owns the API client, runs each request as its own task (so a slow
//! page never holds up a delete), and sends every answer back tagged with its request id. The
//! UI task never awaits HTTP.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use secrecy::ExposeSecret;
use tokio::sync::mpsc;
use tokio::task::AbortHandle;

use super::app::{ApiReply, ApiRequest, RequestId};
use crate::api::{ApiError, Client, CreateStep, Credentials, ListParams};
use crate::connect::REFRESH_BEFORE_EXPIRY;
use crate::session_store::SessionStore;

pub enum WorkerMsg {
    Run(RequestId, ApiRequest),
    Cancel(RequestId),
}

pub type Reply = (RequestId, Result<ApiReply, ApiError>);

/// What the worker needs besides the client.
#[derive(Debug, Clone, Default)]
pub struct WorkerContext {
    /// Where logins are remembered for the next start (a sign-out forgets them).
    pub sessions: Option<SessionStore>,
    /// The outbox file of the sandbox behind the client, or of one that may be (a local
    /// sandbox started apart): reset tokens are looked for there.
    pub outbox: Option<PathBuf>,
    /// The flags the console started with, to connect to other profiles from
    /// ([`ApiRequest::Everywhere`]); `None` where there are no profiles to ask.
    pub profiles_from: Option<crate::connect::ConnectArgs>,
}

/// How many users a [`ApiRequest::Locate`] asks for at a time.
const LOCATE_PAGE: u32 = crate::api::client::LIST_ALL_PAGE_SIZE;
/// A locate gives up after this many pages (a store of 50,000 users).
const LOCATE_MAX_PAGES: u32 = 100;

/// Starts the worker; it stops when the sender is dropped.
pub fn spawn(
    client: Client,
    context: WorkerContext,
) -> (
    mpsc::UnboundedSender<WorkerMsg>,
    mpsc::UnboundedReceiver<Reply>,
) {
    let (to_worker, mut inbox) = mpsc::unbounded_channel::<WorkerMsg>();
    let (to_ui, replies) = mpsc::unbounded_channel::<Reply>();
    let keeper = tokio::spawn(keep_session_fresh(client.clone(), context.sessions.clone()));
    tokio::spawn(async move {
        let (done_tx, mut done_rx) = mpsc::unbounded_channel::<Reply>();
        let mut running: HashMap<RequestId, AbortHandle> = HashMap::new();
        loop {
            tokio::select! {
                msg = inbox.recv() => match msg {
                    Some(WorkerMsg::Run(id, request)) => {
                        let client = client.clone();
                        let context = context.clone();
                        let done = done_tx.clone();
                        let task = tokio::spawn(async move {
                            let steps = done.clone();
                            let progress = move |text: String| {
                                let _ = steps.send((id, Ok(ApiReply::Progress(text))));
                            };
                            let result = perform(&client, &context, request, &progress).await;
                            let _ = done.send((id, result));
                        });
                        running.insert(id, task.abort_handle());
                    }
                    Some(WorkerMsg::Cancel(id)) => {
                        if let Some(task) = running.remove(&id) {
                            task.abort();
                        }
                    }
                    None => break,
                },
                Some((id, result)) = done_rx.recv() => {
                    if !matches!(&result, Ok(reply) if reply.is_progress()) {
                        running.remove(&id);
                    }
                    if to_ui.send((id, result)).is_err() {
                        break;
                    }
                }
            }
        }
        for task in running.values() {
            task.abort();
        }
        keeper.abort();
    });
    (to_worker, replies)
}

/// How often the session keeper looks again when there is nothing to refresh yet (no JWT, or
/// one that expired: the next request's 401 opens the login screen).
const SESSION_CHECK: Duration = Duration::from_secs(15 * 60);

/// What the session keeper does next, for a JWT that expires at `expires` (Unix seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStep {
    /// Sleep this long, then look again.
    Wait(Duration),
    /// Swap the session for a fresh one now.
    Refresh,
}

pub fn session_step(expires: Option<i64>, now: i64) -> SessionStep {
    let Some(expires) = expires else {
        return SessionStep::Wait(SESSION_CHECK);
    };
    let before = i64::try_from(REFRESH_BEFORE_EXPIRY.as_secs()).unwrap_or(i64::MAX);
    let refresh_at = expires.saturating_sub(before);
    if now >= expires {
        SessionStep::Wait(SESSION_CHECK)
    } else if now >= refresh_at {
        SessionStep::Refresh
    } else {
        let until = u64::try_from(refresh_at - now).unwrap_or(u64::MAX);
        SessionStep::Wait(Duration::from_secs(until).min(SESSION_CHECK))
    }
}

/// Keeps a JWT session alive while the console runs: shortly before it expires (Medusa v2's
/// last 24 h) it is swapped for a fresh one and, where it was remembered, saved again, so a
/// console left open for days stays signed in. Between checks it sleeps; it never wakes the
/// UI. Sessions that cannot be refreshed (v1, API tokens) are left alone.
async fn keep_session_fresh(client: Client, sessions: Option<SessionStore>) {
    loop {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        match session_step(client.session_expires_at(), now) {
            SessionStep::Wait(wait) => tokio::time::sleep(wait).await,
            SessionStep::Refresh => {
                match client.refresh_session().await {
                    Ok(Some(token)) => {
                        tracing::info!("session refreshed before it expired");
                        let url = client.base_url().as_str();
                        if let Some(store) = &sessions
                            && let Ok(Some(saved)) = store.load(url)
                            && let Err(e) =
                                store.save(url, &saved.email, &token, client.known_dialect())
                        {
                            tracing::warn!("refreshed session not remembered: {e}");
                        }
                    }
                    Ok(None) => {
                        // Not a session this server refreshes: nothing to keep.
                        return;
                    }
                    Err(e) => tracing::info!("session not refreshed: {}", e.status_line()),
                }
                // A minute's pause either way: after a refresh the new expiry is far off, after
                // a failure the server gets a moment.
                tokio::time::sleep(Duration::from_secs(60)).await;
            }
        }
    }
}

/// One request against the client; `progress` hears of each step of a multi-step one.
pub async fn perform(
    client: &Client,
    context: &WorkerContext,
    request: ApiRequest,
    progress: &(dyn Fn(String) + Send + Sync),
) -> Result<ApiReply, ApiError> {
    let sessions = context.sessions.as_ref();
    match request {
        ApiRequest::List(params) => client.list(&params).await.map(ApiReply::Page),
        ApiRequest::ExportUsers { params, path } => export_users(client, params, path).await,
        ApiRequest::Everywhere { email, profiles } => {
            let Some(template) = context.profiles_from.as_ref() else {
                return Err(ApiError::Usage {
                    message: "no profiles to ask (this console was not started from a config)"
                        .into(),
                });
            };
            Ok(ApiReply::Everywhere(
                everywhere(template, &email, profiles).await,
            ))
        }
        ApiRequest::Retrieve(id) => client.retrieve(&id).await.map(ApiReply::User),
        ApiRequest::Create(mut body) => {
            // The form always has a role; a server without roles (v2) has nothing to set it on.
            if !client.capabilities().await?.roles {
                body.role = None;
            }
            let steps = |step: CreateStep| {
                progress(format!("step {}/3: {}…", step.number(), step.describe()));
            };
            client
                .create_with_progress(&body, &steps)
                .await
                .map(ApiReply::User)
        }
        ApiRequest::Update { id, body } => client.update(&id, &body).await.map(ApiReply::User),
        ApiRequest::Delete(id) => client.delete(&id).await.map(ApiReply::Deleted),
        ApiRequest::DeleteRevokingKeys { id, keys } => {
            // The keys first: once the user is gone, nobody is left to ask about them.
            for (i, key) in keys.iter().enumerate() {
                progress(format!("revoking key {}/{}…", i + 1, keys.len()));
                client.revoke_api_key(key).await?;
            }
            client.delete(&id).await.map(ApiReply::Deleted)
        }
        ApiRequest::ListInvites(params) => {
            client.list_invites(&params).await.map(ApiReply::Invites)
        }
        ApiRequest::CreateInvite(body) => client.create_invite(&body).await.map(ApiReply::Invite),
        ApiRequest::ResendInvite(id) => client.resend_invite(&id).await.map(ApiReply::Invite),
        ApiRequest::RevokeInvite(id) => client.revoke_invite(&id).await.map(ApiReply::Deleted),
        ApiRequest::Capabilities => client.capabilities().await.map(ApiReply::Capabilities),
        ApiRequest::MintResetToken(id) => client.mint_reset_token(&id).await.map(ApiReply::Minted),
        ApiRequest::KeysCreatedBy(id) => {
            client.secret_keys_created_by(&id).await.map(ApiReply::Keys)
        }
        ApiRequest::SendResetToken(email) => {
            let outbox = context.outbox.clone();
            let before = match &outbox {
                Some(path) => Some(newest_token(path, &email).await),
                None => None,
            };
            client.send_reset_password_token(&email).await?;
            // The token is in the outbox when a new one for this e-mail appeared there: then
            // the server is that sandbox (a real Medusa mails it instead).
            let seen = match (outbox, before) {
                (Some(path), Some(before)) => {
                    let after = newest_token(&path, &email).await;
                    (after.is_some() && after != before).then_some(path)
                }
                _ => None,
            };
            Ok(ApiReply::TokenSent { outbox: seen })
        }
        ApiRequest::OutboxToken { email } => {
            let token = match &context.outbox {
                Some(path) => newest_token(path, &email).await,
                None => None,
            };
            Ok(ApiReply::OutboxToken(
                token.map(secrecy::SecretString::from),
            ))
        }
        ApiRequest::Locate { params, id } => locate(client, params, &id).await,
        ApiRequest::ResetPassword(body) => client
            .reset_password(&body)
            .await
            .map(|user| user.map_or(ApiReply::PasswordChanged, ApiReply::User)),
        ApiRequest::Login { email, password } => {
            let token = client.login(&email, password.expose_secret()).await?;
            if let Some(store) = sessions
                && let Err(e) = store.save(
                    client.base_url().as_str(),
                    &email,
                    &token,
                    client.known_dialect(),
                )
            {
                tracing::warn!("login not remembered: {e}");
            }
            Ok(ApiReply::LoggedIn)
        }
        ApiRequest::Me => client.me().await.map(ApiReply::User),
        ApiRequest::SignOut => {
            client.set_credentials(Credentials::None);
            if let Some(store) = sessions
                && let Err(e) = store.forget(client.base_url().as_str())
            {
                tracing::warn!("session not forgotten: {e}");
            }
            Ok(ApiReply::SignedOut)
        }
    }
}

/// The newest token for `email` in the outbox at `path` (read off the async threads); a file
/// that cannot be read counts as none (and is logged, without any token).
async fn newest_token(path: &Path, email: &str) -> Option<String> {
    let (path, email) = (path.to_owned(), email.to_owned());
    let read = tokio::task::spawn_blocking(move || {
        crate::sandbox::newest_outbox_token(&path, &email).map_err(|e| (path, e))
    })
    .await;
    match read {
        Ok(Ok(token)) => token,
        Ok(Err((path, e))) => {
            tracing::warn!(path = %path.display(), error = %e, "cannot read the sandbox outbox");
            None
        }
        Err(e) => {
            tracing::warn!(error = %e, "reading the sandbox outbox failed");
            None
        }
    }
}

/// Pages through the list `params` describe until user `id` turns up; its position, or
/// `None` when it is not in that list.
async fn locate(client: &Client, params: ListParams, id: &str) -> Result<ApiReply, ApiError> {
    let mut offset = 0u64;
    for _ in 0..LOCATE_MAX_PAGES {
        let page = client
            .list(&ListParams {
                limit: Some(LOCATE_PAGE),
                offset: Some(offset),
                ..params.clone()
            })
            .await?;
        if let Some(i) = page.users.iter().position(|u| u.id == id) {
            return Ok(ApiReply::Located(Some(offset.saturating_add(i as u64))));
        }
        let got = page.users.len() as u64;
        offset = offset.saturating_add(got);
        if got == 0 || offset >= page.count {
            break;
        }
    }
    Ok(ApiReply::Located(None))
}

/// Every page of the list, written to `path` (JSON for `.json`, else CSV with the columns the
/// CLI's `--format csv` has), readable by its owner only: it is the store's user data.
async fn export_users(
    client: &Client,
    params: ListParams,
    path: PathBuf,
) -> Result<ApiReply, ApiError> {
    let caps = client.capabilities().await?;
    let page = client
        .list_all(&ListParams {
            limit: None,
            offset: None,
            ..params
        })
        .await?;
    let json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let bytes = if json {
        serde_json::to_vec_pretty(&page).map_err(|e| ApiError::usage(e.to_string()))?
    } else {
        crate::cli::output::user_csv(
            &page.users,
            crate::cli::output::UserFields::of(&caps),
            false,
        )
        .map_err(ApiError::usage)?
    };
    crate::files::write_private(&path, &bytes)
        .map_err(|e| ApiError::usage(format!("cannot write {}: {e}", path.display())))?;
    Ok(ApiReply::Exported {
        path,
        rows: page.users.len(),
    })
}

/// Asks every profile at once what access `email` has there. A store that cannot be reached or
/// signed in to is a row with its reason, never left out.
async fn everywhere(
    template: &crate::connect::ConnectArgs,
    email: &str,
    profiles: Vec<String>,
) -> Vec<super::app::StoreAccess> {
    let asks = profiles.into_iter().map(|profile| async move {
        let outcome = match super::connect_profile(template, &profile).await {
            Err(reason) => Err(reason),
            Ok((connection, _, _)) => {
                let answer = connection
                    .client
                    .access_of(email)
                    .await
                    .map_err(|e| e.status_line());
                if let Some(sandbox) = connection.sandbox {
                    sandbox.shutdown().await;
                }
                answer
            }
        };
        super::app::StoreAccess { profile, outcome }
    });
    futures::future::join_all(asks).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_is_refreshed_in_its_last_two_hours_only() {
        let hour = 3600;
        let now = 1_000_000;
        assert_eq!(session_step(None, now), SessionStep::Wait(SESSION_CHECK));
        // 24 h left: look again in 15 min (never sleep past a login that may come meanwhile).
        assert_eq!(
            session_step(Some(now + 24 * hour), now),
            SessionStep::Wait(SESSION_CHECK)
        );
        // 2 h 5 min left: wake at the 2 h mark.
        assert_eq!(
            session_step(Some(now + 2 * hour + 300), now),
            SessionStep::Wait(Duration::from_secs(300))
        );
        assert_eq!(
            session_step(Some(now + 2 * hour), now),
            SessionStep::Refresh
        );
        assert_eq!(session_step(Some(now + 60), now), SessionStep::Refresh);
        // Expired: too late to refresh; the next 401 asks for a login.
        assert_eq!(
            session_step(Some(now), now),
            SessionStep::Wait(SESSION_CHECK)
        );
    }
}
