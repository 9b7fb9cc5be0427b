//! Replies from the worker: each lands where its request's purpose says, or is dropped when
//! nothing waits for it any more.

use super::*;

impl App {
    pub(super) fn on_reply(
        &mut self,
        id: RequestId,
        result: Result<ApiReply, ApiError>,
        cmds: &mut Vec<Command>,
    ) {
        // A reply nobody waits for any more (a superseded page, a cancelled search) is dropped.
        let Some((purpose, request)) = self.pending.remove(&id) else {
            return;
        };
        if let Purpose::List = purpose
            && self.list.request != Some(id)
        {
            return;
        }
        match result {
            Ok(reply) => {
                if !matches!(purpose, Purpose::SignOut) {
                    self.came_online();
                    self.reconnect_attempt = 0;
                    if std::mem::take(&mut self.retry_reads) {
                        self.info("the server answers again");
                    }
                }
                self.on_success(id, purpose, reply, cmds);
            }
            Err(error) => self.on_failure(id, purpose, request, error, cmds),
        }
    }

    fn on_success(
        &mut self,
        id: RequestId,
        purpose: Purpose,
        reply: ApiReply,
        cmds: &mut Vec<Command>,
    ) {
        match (purpose, reply) {
            (Purpose::List, ApiReply::Page(page)) => {
                self.list.request = None;
                let past_end = page.users.is_empty() && page.count > 0 && page.offset > 0;
                self.list.page = Some(page);
                if past_end {
                    // Rows were deleted under us: go to the last page that exists.
                    self.list.selected = 0;
                    let size = u64::from(self.list.page_size);
                    self.list.offset = (self.list.count() - 1) / size * size;
                    self.load_list(cmds);
                    return;
                }
                if let Some(want) = self.list.select_id.take()
                    && let Some(row) = self.list.users().iter().position(|u| u.id == want)
                {
                    self.list.selected = row;
                }
                self.list.selected = self
                    .list
                    .selected
                    .min(self.list.users().len().saturating_sub(1));
            }
            (Purpose::Me, ApiReply::User(user)) => self.session.me = Some(user),
            (Purpose::Detail, ApiReply::User(user)) => self.replace_user(user),
            (Purpose::Create, ApiReply::User(user)) => {
                self.close_modal_for(id);
                self.info(format!("created {} ({})", user.email, user.role));
                self.list.select_id = Some(user.id);
                self.reload_from_start(cmds);
            }
            (Purpose::Update, ApiReply::User(user)) => {
                self.close_modal_for(id);
                self.info(format!("saved {}", user.email));
                self.replace_user(user);
            }
            (Purpose::Delete(user), ApiReply::Deleted(_)) => {
                self.close_modal_for(id);
                self.info(format!("deleted {}", user.email));
                let was_me = self.session.me.as_ref().is_some_and(|me| me.id == user.id);
                if was_me {
                    // Medusa keeps a deleted user's JWT working; carrying on as a deleted user
                    // would be wrong, so sign out here. The list reloads after the next login
                    // (sent now, it would only fail and bury the reason under a generic 401).
                    self.session.me = None;
                    self.session.state = ConnState::SignedOut;
                    self.send(Purpose::SignOut, ApiRequest::SignOut, cmds);
                    self.after_login.push((
                        Purpose::List,
                        ApiRequest::List(self.list.params()),
                        None,
                    ));
                    self.open_login(Some(
                        "you deleted your own user, so you were signed out".into(),
                    ));
                } else {
                    self.load_list(cmds);
                }
            }
            (Purpose::SendToken, ApiReply::TokenSent) => {
                if let Some(Modal::ResetRequest {
                    request,
                    sent,
                    error,
                    ..
                }) = self.modal_for(id)
                {
                    *request = None;
                    *sent = true;
                    *error = None;
                }
            }
            (Purpose::ApplyReset, ApiReply::User(user)) => {
                self.close_modal_for(id);
                self.info(format!(
                    "password changed for {}; older reset tokens are void",
                    user.email
                ));
            }
            (Purpose::Login, ApiReply::LoggedIn) => {
                self.close_modal_for(id);
                self.session.auth = "JWT";
                self.session.state = ConnState::Online;
                self.send(Purpose::Me, ApiRequest::Me, cmds);
                let queued = std::mem::take(&mut self.after_login);
                let had_list_retry = queued.iter().any(|(p, _, _)| matches!(p, Purpose::List));
                for (purpose, request, modal) in queued {
                    self.resend(purpose, request, modal, cmds);
                }
                if !had_list_retry && self.list.page.is_none() && self.list.request.is_none() {
                    self.load_list(cmds);
                }
                self.info("logged in");
            }
            (Purpose::SignOut, _) => self.session.auth = "none",
            (purpose, reply) => {
                tracing::warn!("unexpected reply {reply:?} for {purpose:?}");
            }
        }
    }

    /// Sends a request again after a login, re-attaching it to whatever waits for it.
    fn resend(
        &mut self,
        purpose: Purpose,
        request: ApiRequest,
        modal: Option<usize>,
        cmds: &mut Vec<Command>,
    ) {
        let is_list = matches!(purpose, Purpose::List);
        let id = self.send(purpose, request, cmds);
        if is_list {
            self.list.request = Some(id);
        } else if let Some(m) = modal.and_then(|i| self.modals.get_mut(i)) {
            m.set_request(Some(id));
        }
    }

    fn on_failure(
        &mut self,
        id: RequestId,
        purpose: Purpose,
        request: ApiRequest,
        error: ApiError,
        cmds: &mut Vec<Command>,
    ) {
        if let Purpose::List = purpose {
            self.list.request = None;
        }
        let kind = error.kind();
        if kind == ErrorKind::Unauthorized && !matches!(purpose, Purpose::Login | Purpose::SignOut)
        {
            // Keep the request; it runs again once the operator has logged in, and the form
            // that sent it stays as it was, input and all.
            let modal = self.modals.iter().position(|m| m.request() == Some(id));
            self.after_login.push((purpose, request, modal));
            self.session.state = ConnState::SignedOut;
            self.open_login(Some(format!("{} — log in to continue", error.message())));
            return;
        }
        // The server is unreachable, or a gateway in front of it says it is down: the app
        // keeps trying on its own, with growing waits, until it answers again.
        let unreachable = matches!(kind, ErrorKind::Network | ErrorKind::Timeout)
            || matches!(
                error,
                ApiError::Server {
                    status: 502..=504,
                    ..
                }
            );
        if unreachable {
            self.retry_later(&error, true, cmds);
        } else {
            // Any other answer (a 500, a 404, bad JSON) came from a server that is up.
            self.came_online();
        }
        match purpose {
            Purpose::List | Purpose::Me if !unreachable && kind == ErrorKind::Server => {
                self.retry_later(&error, false, cmds);
            }
            Purpose::List | Purpose::Me | Purpose::SignOut => {
                if !unreachable {
                    self.error(error.status_line());
                }
            }
            Purpose::Detail => {
                if kind == ErrorKind::NotFound {
                    self.error("that user no longer exists; list refreshed");
                    self.load_list(cmds);
                } else {
                    self.error(error.status_line());
                }
            }
            Purpose::Create | Purpose::Update | Purpose::ApplyReset | Purpose::Login => {
                let message = match (&purpose, kind) {
                    (Purpose::Login, ErrorKind::Unauthorized) => {
                        "e-mail or password not accepted".to_owned()
                    }
                    _ => error.message(),
                };
                let field = forms::field_for_server_message(&message);
                match self.modal_for(id) {
                    Some(modal) => {
                        modal.set_request(None);
                        if let Some(form) = modal.form_mut() {
                            form.error = Some(message.clone());
                            if let Some(label) = field.filter(|_| kind == ErrorKind::InvalidData) {
                                form.set_error(label, message);
                                form.focus_on(label);
                            }
                        }
                    }
                    None => self.error(error.status_line()),
                }
            }
            Purpose::Delete(_) | Purpose::SendToken => match self.modal_for(id) {
                Some(
                    Modal::Delete {
                        request, error: e, ..
                    }
                    | Modal::ResetRequest {
                        request, error: e, ..
                    },
                ) => {
                    *request = None;
                    *e = Some(error.message());
                }
                _ => self.error(error.status_line()),
            },
        }
    }

    /// The server answered: it is reachable. Leaving the offline state also takes its
    /// "retrying" message off the status line.
    fn came_online(&mut self) {
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
    fn retry_later(&mut self, error: &ApiError, offline: bool, cmds: &mut Vec<Command>) {
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
        self.error(format!(
            "{what}, retry in {} s (R now): {}",
            wait.as_secs(),
            error.status_line()
        ));
        cmds.push(Command::SetTimer(Timer::Reconnect, wait));
    }
}
