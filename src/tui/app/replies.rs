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
        // A step of a request still running: shown in its dialog; the answer comes later.
        if let Ok(ApiReply::Progress(text)) = &result {
            if self.pending.contains_key(&id) {
                match self.modal_for(id) {
                    Some(Modal::Create { step, .. }) => *step = Some(text.clone()),
                    Some(Modal::Delete(dialog)) => dialog.step = Some(text.clone()),
                    _ => tracing::debug!("request {id}: {text}"),
                }
            }
            return;
        }
        // A reply nobody waits for any more (a superseded page, a cancelled search) is dropped.
        let Some((purpose, request)) = self.pending.remove(&id) else {
            return;
        };
        if request.is_mutation() {
            // Pages fetched ahead while it ran may hold what it changed.
            self.drop_cache(cmds);
        }
        // Background work: silent whatever the answer (no errors, no offline state, no login).
        match purpose {
            Purpose::Prefetch(params) => return self.on_prefetched(id, params, result),
            Purpose::Revalidate(params) => return self.on_revalidated(id, params, result, cmds),
            _ => {}
        }
        if let Purpose::List = purpose
            && self.list.request != Some(id)
        {
            return;
        }
        if let Purpose::Invites = purpose
            && self.invites.request != Some(id)
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
            (
                purpose @ (Purpose::Invites
                | Purpose::CreateInvite
                | Purpose::ResendInvite
                | Purpose::RevokeInvite(_)),
                reply,
            ) => self.on_invite_success(id, purpose, reply, cmds),
            (Purpose::List, ApiReply::Page(page)) => self.show_page(page, cmds),
            (Purpose::Me, ApiReply::User(user)) => {
                self.session.no_user = false;
                self.session.me = Some(user);
            }
            (Purpose::Detail, ApiReply::User(user)) => self.replace_user(user),
            (Purpose::Capabilities, ApiReply::Capabilities(caps)) => self.adopt_caps(caps, cmds),
            (Purpose::Create, ApiReply::User(user)) => self.on_created(id, user, cmds),
            (Purpose::Update(before), ApiReply::User(user)) => {
                self.on_updated(id, &before, user, cmds);
            }
            (
                Purpose::Locate {
                    user,
                    edited,
                    params,
                },
                ApiReply::Located(found),
            ) => self.on_located(user, edited, &params, found, cmds),
            (Purpose::Keys(user_id), ApiReply::Keys(found)) => {
                self.on_keys_listed(&user_id, Ok(found));
            }
            (Purpose::MintToken, ApiReply::Minted(token)) => self.on_minted(id, token),
            (Purpose::Export, ApiReply::Exported { path, rows }) => {
                self.on_exported(id, &path, rows);
            }
            (Purpose::Everywhere, ApiReply::Everywhere(stores)) => {
                self.on_everywhere(id, stores);
            }
            (
                Purpose::Bulk(index),
                ApiReply::Deleted(_)
                | ApiReply::TokenSent { .. }
                | ApiReply::User(_)
                | ApiReply::Invite(_),
            ) => {
                self.on_bulk_reply(index, Ok(()), false, cmds);
            }
            (Purpose::Delete(user), ApiReply::Deleted(_)) => self.on_deleted(id, user, cmds),
            (Purpose::SendToken, ApiReply::TokenSent { outbox }) => {
                self.on_token_sent(id, outbox);
            }
            (Purpose::FillToken, ApiReply::OutboxToken(token)) => self.on_outbox_token(id, token),
            (Purpose::ApplyReset, ApiReply::User(user)) => {
                self.on_password_changed(id, Some(user));
            }
            (Purpose::ApplyReset, ApiReply::PasswordChanged) => {
                self.on_password_changed(id, None);
            }
            (Purpose::Login, ApiReply::LoggedIn) => self.on_logged_in(id, cmds),
            (Purpose::SignOut, _) => self.session.auth = "none",
            (purpose, reply) => {
                tracing::warn!("unexpected reply {reply:?} for {purpose:?}");
            }
        }
    }

    pub(crate) fn on_failure(
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
        if let Purpose::Invites = purpose {
            self.invites.request = None;
        }
        let kind = error.kind();
        if kind == ErrorKind::Unauthorized && !matches!(purpose, Purpose::Login | Purpose::SignOut)
        {
            // Keep the request; it runs again once the operator has logged in, and the form
            // that sent it stays as it was, input and all.
            let modal = self.modals.iter().position(|m| m.request() == Some(id));
            self.after_login.push((purpose, request, modal));
            self.session.state = ConnState::SignedOut;
            let reason = self.refused_reason(&error);
            self.open_login(Some(reason));
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
            // Answered in `on_reply`, silently; never here.
            Purpose::Prefetch(_) | Purpose::Revalidate(_) => {}
            Purpose::Bulk(index) => {
                self.on_bulk_reply(index, Err(error.message()), unreachable, cmds);
            }
            Purpose::Export => self.on_export_failed(id, error.message()),
            Purpose::Everywhere => self.on_everywhere_failed(id, error.message()),
            Purpose::List | Purpose::Me | Purpose::Invites
                if !unreachable && kind == ErrorKind::Server =>
            {
                self.retry_later(&error, false, cmds);
            }
            // A key that belongs to no user (v2's secret API keys): nothing is wrong, the
            // header says so.
            Purpose::Me if kind == ErrorKind::NotFound => self.session.no_user = true,
            Purpose::List
            | Purpose::Me
            | Purpose::SignOut
            | Purpose::Capabilities
            | Purpose::Invites
            | Purpose::ResendInvite => {
                if !unreachable {
                    self.error(error.status_line());
                }
            }
            Purpose::Keys(user_id) => self.on_keys_listed(&user_id, Err(error.message())),
            Purpose::Detail => {
                if kind == ErrorKind::NotFound {
                    self.error("that user no longer exists; list refreshed");
                    self.load_list(cmds);
                } else {
                    self.error(error.status_line());
                }
            }
            Purpose::Locate { user, .. } => {
                // The user was made or saved; only finding it failed.
                self.warn(format!(
                    "{} is saved, but finding it in the list failed: {}",
                    user.email,
                    error.status_line()
                ));
            }
            Purpose::Create
            | Purpose::Update(_)
            | Purpose::ApplyReset
            | Purpose::Login
            | Purpose::CreateInvite => {
                let message = match (&purpose, kind) {
                    (Purpose::Login, ErrorKind::Unauthorized)
                        if !error.needs_more_than_a_password() =>
                    {
                        "e-mail or password not accepted".to_owned()
                    }
                    _ => error.message(),
                };
                let field = forms::field_for_server_message(&message);
                match self.modal_for(id) {
                    Some(modal) => {
                        modal.set_request(None);
                        if let Modal::Create { step, .. } = modal {
                            *step = None;
                        }
                        if let Some(form) = modal.form_mut() {
                            // About one field: shown under it (and gone once it changes);
                            // about the whole form: under the fields.
                            match field.filter(|_| kind == ErrorKind::InvalidData) {
                                Some(label) if form.field(label).is_some() => {
                                    form.error = None;
                                    form.set_error(label, message);
                                    form.focus_on(label);
                                }
                                _ => form.error = Some(message),
                            }
                        }
                    }
                    None => self.error(error.status_line()),
                }
            }
            Purpose::Delete(_)
            | Purpose::SendToken
            | Purpose::FillToken
            | Purpose::MintToken
            | Purpose::RevokeInvite(_) => match self.modal_for(id) {
                Some(Modal::Revoke(dialog)) => dialog.failed(error.message()),
                Some(Modal::Delete(dialog)) => dialog.failed(error.message()),
                Some(Modal::ResetRequest(dialog)) => dialog.failed(error.message()),
                _ => self.error(error.status_line()),
            },
        }
    }
}
