//! The messages of the TUI: what comes into `App::update` (keys, pastes, replies, timers), what
//! goes out (commands for the event loop), and the requests and replies exchanged with the
//! background worker.

use std::path::PathBuf;
use std::time::Duration;

use crossterm::event::{KeyEvent, MouseEvent};
use secrecy::SecretString;

use crate::api::{
    ApiError, ApiKey, Capabilities, CreateInvite, CreateUser, Deleted, Invite, InviteListParams,
    InvitePage, ListParams, Operation, ResetPassword, UpdateUser, User, UserPage,
};

/// A request's identity: unique for the life of the app (ids only grow), so a reply is matched
/// to exactly the request that asked for it, and two requests that look alike (two logins that
/// differ only in their redacted password) are still two requests.
pub type RequestId = u64;

/// What the TUI asks of the background worker.
#[derive(Clone, custom_debug::Debug)]
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
        #[debug(with = crate::secret::redacted)]
        password: SecretString,
    },
    Me,
    /// Forget the credentials (after the signed-in user deleted themself).
    SignOut,
    /// Where user `id` sits in the list `params` describe (their limit and offset are
    /// ignored): the worker pages through until it finds the user.
    Locate {
        params: ListParams,
        id: String,
    },
    /// The newest reset token the embedded sandbox wrote to its outbox for `email`.
    OutboxToken {
        email: String,
    },
    /// What the server can do (detects the dialect when it is not known yet).
    Capabilities,
    /// Mint a reset token for user `id` as an admin (v2.20+).
    MintResetToken(String),
    /// The secret API keys user `id` created (v2), which outlive the user.
    KeysCreatedBy(String),
    /// Revoke the secret API keys `keys`, then delete user `id`.
    DeleteRevokingKeys {
        id: String,
        keys: Vec<String>,
    },
    /// One page of invites (on v1 the client filters and pages the whole list itself).
    ListInvites(InviteListParams),
    CreateInvite(CreateInvite),
    /// A new token for invite `id`.
    ResendInvite(String),
    RevokeInvite(String),
    /// Every page of the list `params` describe (their limit and offset are ignored), written
    /// to `path`: JSON when it ends in `.json`, CSV otherwise.
    ExportUsers {
        params: ListParams,
        path: PathBuf,
    },
    /// What access `email` has in each of the config's `profiles`, asked of all at once.
    Everywhere {
        email: String,
        profiles: Vec<String>,
    },
}

/// Requests compare by what they ask, secrets included (compared, never printed), so two logins
/// with different passwords are different requests. Tests compare commands with this; the app
/// itself matches replies by [`RequestId`] only.
impl PartialEq for ApiRequest {
    fn eq(&self, other: &Self) -> bool {
        use ApiRequest as R;
        use secrecy::ExposeSecret;
        match (self, other) {
            (R::List(a), R::List(b)) => a == b,
            (R::Retrieve(a), R::Retrieve(b))
            | (R::Delete(a), R::Delete(b))
            | (R::SendResetToken(a), R::SendResetToken(b))
            | (R::MintResetToken(a), R::MintResetToken(b))
            | (R::KeysCreatedBy(a), R::KeysCreatedBy(b))
            | (R::ResendInvite(a), R::ResendInvite(b))
            | (R::RevokeInvite(a), R::RevokeInvite(b)) => a == b,
            (R::ListInvites(a), R::ListInvites(b)) => a == b,
            (R::CreateInvite(a), R::CreateInvite(b)) => a == b,
            (
                R::DeleteRevokingKeys { id: a, keys: x },
                R::DeleteRevokingKeys { id: b, keys: y },
            ) => a == b && x == y,
            (R::Create(a), R::Create(b)) => a == b,
            (R::Update { id: a, body: x }, R::Update { id: b, body: y }) => a == b && x == y,
            (R::ResetPassword(a), R::ResetPassword(b)) => a == b,
            (
                R::Login {
                    email: a,
                    password: x,
                },
                R::Login {
                    email: b,
                    password: y,
                },
            ) => a == b && x.expose_secret() == y.expose_secret(),
            (R::Me, R::Me) | (R::SignOut, R::SignOut) | (R::Capabilities, R::Capabilities) => true,
            (R::Locate { params: a, id: x }, R::Locate { params: b, id: y }) => a == b && x == y,
            (R::OutboxToken { email: a }, R::OutboxToken { email: b }) => a == b,
            (R::ExportUsers { params: a, path: x }, R::ExportUsers { params: b, path: y }) => {
                a == b && x == y
            }
            (
                R::Everywhere {
                    email: a,
                    profiles: x,
                },
                R::Everywhere {
                    email: b,
                    profiles: y,
                },
            ) => a == b && x == y,
            _ => false,
        }
    }
}

impl ApiRequest {
    /// The chief operation the request performs on the server, or `None` for what the worker
    /// does locally (the sandbox's outbox, forgetting credentials).
    pub fn operation(&self) -> Option<Operation> {
        use ApiRequest as R;
        use Operation as O;
        Some(match self {
            R::List(_) | R::Locate { .. } | R::ExportUsers { .. } | R::Everywhere { .. } => {
                O::ListUsers
            }
            R::Retrieve(_) => O::GetUser,
            R::Create(_) => O::CreateUser,
            R::Update { .. } => O::UpdateUser,
            R::Delete(_) | R::DeleteRevokingKeys { .. } => O::DeleteUser,
            R::SendResetToken(_) => O::SendResetToken,
            R::MintResetToken(_) => O::MintResetToken,
            R::ResetPassword(_) => O::ResetPassword,
            R::Login { .. } => O::LogIn,
            R::Me => O::WhoAmI,
            R::Capabilities => O::DetectDialect,
            R::KeysCreatedBy(_) => O::ListSecretKeys,
            R::ListInvites(_) => O::ListInvites,
            R::CreateInvite(_) => O::CreateInvite,
            R::ResendInvite(_) => O::ResendInvite,
            R::RevokeInvite(_) => O::RevokeInvite,
            R::SignOut | R::OutboxToken { .. } => return None,
        })
    }

    /// Whether the request changes data on the server (refused in read-only mode).
    pub fn is_mutation(&self) -> bool {
        self.operation().is_some_and(Operation::changes_data)
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
    /// The server took the reset request; `outbox` is the sandbox's outbox file when the
    /// token was seen arriving there.
    TokenSent {
        outbox: Option<PathBuf>,
    },
    /// A reset applied on a server that answers without the user (v2).
    PasswordChanged,
    LoggedIn,
    SignedOut,
    /// The user's position in the list, or `None` when it is not in it.
    Located(Option<u64>),
    /// The newest token for the e-mail in the outbox, if there is one.
    OutboxToken(Option<SecretString>),
    Capabilities(Capabilities),
    /// A reset token an admin minted.
    Minted(SecretString),
    Keys(Vec<ApiKey>),
    Invites(InvitePage),
    /// An invite just created or resent: it carries the new token.
    Invite(Invite),
    /// The list was written to `path`: `rows` users.
    Exported {
        path: PathBuf,
        rows: usize,
    },
    /// Each profile's answer to [`ApiRequest::Everywhere`], in the order asked.
    Everywhere(Vec<StoreAccess>),
    /// A step of a multi-step request began (`step 2/3: register the login`); more replies
    /// follow for the same request.
    Progress(String),
}

/// One store's answer about a person: their access, or why the store could not say.
#[derive(Debug, Clone, PartialEq)]
pub struct StoreAccess {
    pub profile: String,
    pub outcome: Result<crate::api::Access, String>,
}

impl ApiReply {
    /// Whether more replies follow for the same request.
    pub fn is_progress(&self) -> bool {
        matches!(self, ApiReply::Progress(_))
    }
}

/// Timers the event loop runs for the app; each kind has at most one deadline at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Timer {
    /// The search text settled: load results.
    SearchDebounce,
    /// Try the server again after a network failure.
    Reconnect,
    /// One second of the retry countdown passed.
    Countdown,
    /// The window has kept its new size for a moment: size the pages to it.
    Resize,
    /// A success notice has been on screen long enough.
    FadeStatus,
}

#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    /// A click or a wheel notch (only with `--mouse`, which turns the terminal's reporting on).
    Mouse(MouseEvent),
    Paste(String),
    Resize(u16, u16),
    Reply(RequestId, Result<ApiReply, ApiError>),
    Timer(Timer),
    /// The spinner's frame advanced (sent only while requests are pending).
    Tick,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Send `ApiRequest` to the worker; its reply comes back tagged with the id.
    Api(RequestId, ApiRequest),
    Cancel(RequestId),
    Copy {
        text: String,
    },
    SetTimer(Timer, Duration),
    /// Give the terminal back and stop (Ctrl-Z); `fg` continues.
    Suspend,
    Quit,
    /// Leave this store for the config profile of that name (the loop reconnects and starts
    /// afresh on it).
    SwitchProfile(String),
}
