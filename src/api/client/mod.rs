//! The client the CLI and the TUI use: medusa-js's `admin.users` (list, retrieve, create,
//! update, delete, sendResetPasswordToken, resetPassword), invites, login and who-am-I, on
//! either Medusa dialect. It finds out which dialect the server speaks (once, or as told),
//! and callers ask [`Client::capabilities`] what the server can do; no caller ever sees a
//! version number. The routes live in `v1.rs` and `v2/`, the HTTP machinery in `transport/`.
//!
//! Here: the [`Client`] itself, its options and credentials. Its calls, one module a job:
//! `detect` (which dialect, what it can do), `session` (log in, refresh, who am I), `users`
//! (`admin.users`), `passwords` (reset tokens), `invites` and `keys` (secret API keys).

mod detect;
mod invites;
mod keys;
mod passwords;
mod session;
mod users;

use std::sync::Arc;

use tokio::sync::OnceCell;
use url::Url;

use super::dialect::{Dialect, DialectChoice};
use super::error::ApiError;
use super::transport::Transport;
use super::types::User;

pub use super::transport::{
    ClientOptions, Credentials, DEFAULT_BASE_URL, MAX_BODY_BYTES, decode, parse_base_url,
    parse_header,
};
pub use super::v1::AccessToken;
pub use super::v2::CreateStep;

/// Page size for walks through every invite, and for the TUI's look-ups of where a user is.
pub const LIST_ALL_PAGE_SIZE: u32 = 500;
/// Users [`Client::list_all`] asks for in its first request: every user of most stores in one
/// round trip. At a few hundred bytes a user this is a few MB, far below `MAX_BODY_BYTES`.
pub const LIST_ALL_FIRST_PAGE: u32 = 5_000;
/// Pages [`Client::list_all`] has in flight at once after the first: enough to hide round trips,
/// few enough not to swamp a single-threaded server, and a bound on the memory pages take.
pub const LIST_ALL_CONCURRENCY: usize = 4;
/// The shortest new password accepted where a failed attempt would spend a reset token (v2).
pub const MIN_NEW_PASSWORD_CHARS: usize = 8;

/// Who the credentials speak for.
#[derive(Debug, Clone, PartialEq)]
pub enum Identity {
    User(Box<User>),
    /// A v2 secret API key: it belongs to no user.
    SecretKey,
}

/// The client. Cheap to clone: clones share the connection pool, the credentials and the
/// detected dialect, so a login through one is seen by all.
#[derive(Clone)]
pub struct Client {
    transport: Transport,
    choice: DialectChoice,
    dialect: Arc<OnceCell<Dialect>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.transport.options().base_url.as_str())
            .field("credentials", &self.credentials().describe())
            .field("dialect", &self.dialect.get())
            .finish()
    }
}

impl Client {
    /// A client for the dialect `options.dialect` names, or (`Auto`) the one the server
    /// answers to on first use.
    pub fn new(options: ClientOptions, credentials: Credentials) -> Result<Self, ApiError> {
        let choice = options.dialect;
        let client = Client {
            transport: Transport::new(options, credentials)?,
            choice,
            dialect: Arc::new(OnceCell::new()),
        };
        if let DialectChoice::Fixed(d) = choice {
            client.adopt(d);
        }
        Ok(client)
    }

    pub fn base_url(&self) -> &Url {
        &self.transport.options().base_url
    }

    pub fn options(&self) -> &ClientOptions {
        self.transport.options()
    }

    pub fn credentials(&self) -> Credentials {
        self.transport.credentials()
    }

    pub fn set_credentials(&self, credentials: Credentials) {
        self.transport.set_credentials(credentials);
    }
}
