//! The background worker: it owns the API client, runs each request as its own task (so a slow
//! page never holds up a delete), and sends every answer back tagged with its request id. The
//! UI task never awaits HTTP.

use std::collections::HashMap;

use secrecy::ExposeSecret;
use tokio::sync::mpsc;
use tokio::task::AbortHandle;

use super::app::{ApiReply, ApiRequest, RequestId};
use crate::api::{ApiError, Client, Credentials};
use crate::session_store::SessionStore;

pub enum WorkerMsg {
    Run(RequestId, ApiRequest),
    Cancel(RequestId),
}

pub type Reply = (RequestId, Result<ApiReply, ApiError>);

/// Starts the worker; it stops when the sender is dropped. With a session store, logins are
/// remembered for the next start and a sign-out forgets them.
pub fn spawn(
    client: Client,
    sessions: Option<SessionStore>,
) -> (
    mpsc::UnboundedSender<WorkerMsg>,
    mpsc::UnboundedReceiver<Reply>,
) {
    let (to_worker, mut inbox) = mpsc::unbounded_channel::<WorkerMsg>();
    let (to_ui, replies) = mpsc::unbounded_channel::<Reply>();
    tokio::spawn(async move {
        let (done_tx, mut done_rx) = mpsc::unbounded_channel::<Reply>();
        let mut running: HashMap<RequestId, AbortHandle> = HashMap::new();
        loop {
            tokio::select! {
                msg = inbox.recv() => match msg {
                    Some(WorkerMsg::Run(id, request)) => {
                        let client = client.clone();
                        let sessions = sessions.clone();
                        let done = done_tx.clone();
                        let task = tokio::spawn(async move {
                            let result = perform(&client, sessions.as_ref(), request).await;
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
                    running.remove(&id);
                    if to_ui.send((id, result)).is_err() {
                        break;
                    }
                }
            }
        }
        for task in running.values() {
            task.abort();
        }
    });
    (to_worker, replies)
}

/// One request against the client.
pub async fn perform(
    client: &Client,
    sessions: Option<&SessionStore>,
    request: ApiRequest,
) -> Result<ApiReply, ApiError> {
    match request {
        ApiRequest::List(params) => client.list(&params).await.map(ApiReply::Page),
        ApiRequest::Retrieve(id) => client.retrieve(&id).await.map(ApiReply::User),
        ApiRequest::Create(body) => client.create(&body).await.map(ApiReply::User),
        ApiRequest::Update { id, body } => client.update(&id, &body).await.map(ApiReply::User),
        ApiRequest::Delete(id) => client.delete(&id).await.map(ApiReply::Deleted),
        ApiRequest::SendResetToken(email) => client
            .send_reset_password_token(&email)
            .await
            .map(|()| ApiReply::TokenSent),
        ApiRequest::ResetPassword(body) => client.reset_password(&body).await.map(ApiReply::User),
        ApiRequest::Login { email, password } => {
            let token = client.login(&email, password.expose_secret()).await?;
            if let Some(store) = sessions
                && let Err(e) = store.save(client.base_url().as_str(), &email, &token)
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
