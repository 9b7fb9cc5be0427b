//! The messages of the TUI: what comes into `App::update` (keys, pastes, replies, timers), what
//! goes out (commands for the event loop), and the requests and replies exchanged with the
//! background worker.

use std::time::Duration;

use crossterm::event::KeyEvent;
use secrecy::SecretString;

use crate::api::{
    ApiError, CreateUser, Deleted, ListParams, ResetPassword, UpdateUser, User, UserPage,
};

/// Identifies one request, so its reply can be matched to what is still waiting for it.
pub type RequestId = u64;

/// What the TUI asks of the background worker.
#[derive(Clone)]
pub enum ApiRequest {
    List(ListParams),
    Retrieve(String),
    Create(CreateUser),
    Update {
        id: String,
        body: UpdateUser,
    },
    Delete(String),
    SendResetToken(String),
    ResetPassword(ResetPassword),
    Login {
        email: String,
        password: SecretString,
    },
    Me,
    /// Forget the credentials (after the signed-in user deleted themself).
    SignOut,
}

impl std::fmt::Debug for ApiRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiRequest::List(p) => write!(f, "List({p:?})"),
            ApiRequest::Retrieve(id) => write!(f, "Retrieve({id})"),
            ApiRequest::Create(c) => write!(f, "Create({c:?})"),
            ApiRequest::Update { id, body } => write!(f, "Update({id}, {body:?})"),
            ApiRequest::Delete(id) => write!(f, "Delete({id})"),
            ApiRequest::SendResetToken(e) => write!(f, "SendResetToken({e})"),
            ApiRequest::ResetPassword(r) => write!(f, "ResetPassword({r:?})"),
            ApiRequest::Login { email, .. } => write!(f, "Login({email}, <redacted>)"),
            ApiRequest::Me => write!(f, "Me"),
            ApiRequest::SignOut => write!(f, "SignOut"),
        }
    }
}

impl ApiRequest {
    /// Whether the request changes data on the server (refused in read-only mode).
    pub fn is_mutation(&self) -> bool {
        matches!(
            self,
            ApiRequest::Create(_)
                | ApiRequest::Update { .. }
                | ApiRequest::Delete(_)
                | ApiRequest::SendResetToken(_)
                | ApiRequest::ResetPassword(_)
        )
    }
}

/// The worker's answer to a request.
// Replies and messages move once per request; boxing the larger variants buys nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum ApiReply {
    Page(UserPage),
    User(User),
    Deleted(Deleted),
    TokenSent,
    LoggedIn,
    SignedOut,
}

/// Timers the event loop runs for the app; each kind has at most one deadline at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Timer {
    /// The search text settled: load results.
    SearchDebounce,
    /// Try the server again after a network failure.
    Reconnect,
}

#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    Reply(RequestId, Result<ApiReply, ApiError>),
    Timer(Timer),
    /// The spinner's frame advanced (sent only while requests are pending).
    Tick,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Api(RequestId, ApiRequestTag),
    Cancel(RequestId),
    Copy { text: String },
    SetTimer(Timer, Duration),
    Quit,
}

/// Commands carry the request itself; `ApiRequestTag` exists so `Command` can be compared in
/// tests without exposing secrets (`ApiRequest` is not `PartialEq`).
#[derive(Debug, Clone)]
pub struct ApiRequestTag(pub ApiRequest);

impl PartialEq for ApiRequestTag {
    fn eq(&self, other: &Self) -> bool {
        format!("{:?}", self.0) == format!("{:?}", other.0)
    }
}
