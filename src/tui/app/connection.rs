//! The connection as the header shows it ([`Session`], [`ConnState`]): online, offline with
//! retries counting down ([`RetryWait`]), signed out with the login screen open.

use super::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnState {
    Connecting,
    Online,
    Offline(String),
    SignedOut,
}

/// What the header shows about the connection.
#[derive(Debug, Clone)]
pub struct Session {
    pub base_url: String,
    pub auth: &'static str,
    pub me: Option<User>,
    /// The credentials belong to no user (a Medusa v2 secret API key): who-am-I answers 404.
    pub no_user: bool,
    pub state: ConnState,
    pub sandbox: bool,
    pub read_only: bool,
    pub warnings: Vec<String>,
    /// What the server can do; `None` until the first answer says which Medusa it is.
    pub caps: Option<Capabilities>,
    /// The config profile in use (its name in the header; production's badge).
    pub profile: Option<crate::config::ProfileBadge>,
}

/// A scheduled retry of the reads, counting down in the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryWait {
    pub remaining: u64,
    pub(super) what: &'static str,
    pub(super) detail: String,
}

impl RetryWait {
    pub(super) fn text(&self) -> String {
        if self.remaining == 0 {
            format!("{}, retrying… (R now): {}", self.what, self.detail)
        } else {
            format!(
                "{}, retry in {} s (R now): {}",
                self.what, self.remaining, self.detail
            )
        }
    }
}

impl App {
    /// The server answered: it is reachable. Leaving the offline state also takes its
    /// "retrying" message off the status line.
    pub(super) fn came_online(&mut self) {
        self.retry = None;
        if matches!(self.session.state, ConnState::Offline(_)) {
            self.info("back online");
        }
        if matches!(
            self.session.state,
            ConnState::Offline(_) | ConnState::Connecting
        ) {
            self.session.state = ConnState::Online;
        }
    }

    /// Schedules the reads again, with waits that double up to 30 s: the server is unreachable
    /// (`offline`), or it answers reads with errors (a Medusa whose database is down answers
    /// 500). Either way the app recovers by itself once the server is well.
    pub(super) fn retry_later(&mut self, error: &ApiError, offline: bool, cmds: &mut Vec<Command>) {
        let wait =
            Duration::from_secs(1u64 << self.reconnect_attempt.min(5)).min(Duration::from_secs(30));
        self.reconnect_attempt += 1;
        let what = if offline {
            self.session.state = ConnState::Offline(error.message());
            "offline"
        } else {
            self.retry_reads = true;
            "server trouble"
        };
        let retry = RetryWait {
            remaining: wait.as_secs(),
            what,
            detail: error.status_line(),
        };
        self.error(retry.text());
        self.retry = Some(retry);
        cmds.push(Command::SetTimer(Timer::Countdown, Duration::from_secs(1)));
        cmds.push(Command::SetTimer(Timer::Reconnect, wait));
    }

    /// Why the login screen opened after a 401, in terms of the credentials that were refused:
    /// the server's own text ("credentials missing, wrong or expired") cannot tell an operator
    /// whose API token was just rotated what happened.
    pub(super) fn refused_reason(&self, error: &ApiError) -> String {
        match self.session.auth {
            "API token" => {
                "the server refused the API token (HTTP 401); log in with your e-mail and password"
                    .to_owned()
            }
            "secret key" => "the server refused the secret API key (HTTP 401); log in with \
                             your e-mail and password"
                .to_owned(),
            "JWT" => "the session has expired or was revoked (HTTP 401); log in again".to_owned(),
            _ => format!("{} — log in to continue", error.message()),
        }
    }
}
