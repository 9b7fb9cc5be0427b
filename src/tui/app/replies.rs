//! Replies from the worker: each lands where its request's purpose says, or is dropped when
//! nothing waits for it any more.

use secrecy::ExposeSecret;

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
                    Some(Modal::Create { step, .. } | Modal::Delete { step, .. }) => {
                        *step = Some(text.clone());
                    }
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
            (Purpose::Create, ApiReply::User(user)) => {
                self.close_modal_for(id);
                if user.role.is_some() {
                    self.info(format!("created {} ({})", user.email, user.role_label()));
                } else {
                    self.info(format!("created {}", user.email));
                }
                self.locate(user, false, cmds);
            }
            (Purpose::Update(before), ApiReply::User(user)) => {
                self.close_modal_for(id);
                self.info(format!("saved {}", user.email));
                let moves = self.edit_may_move(&before, &user);
                self.replace_user(user.clone());
                if moves {
                    self.locate(user, true, cmds);
                } else {
                    // The pages kept went when the save was sent; fetch them again.
                    self.prefetch_neighbours(cmds);
                }
            }
            (
                Purpose::Locate {
                    user,
                    edited,
                    params,
                },
                ApiReply::Located(found),
            ) => {
                // The view changed meanwhile (another search, sort or filter): the position
                // is of a list no longer shown.
                if params != self.locate_params() {
                    return;
                }
                match found {
                    Some(position) => {
                        let size = u64::from(self.list.page_size.max(1));
                        let offset = position / size * size;
                        let row = (position - offset) as usize;
                        self.load_page(offset, Land::User { id: user.id, row }, cmds);
                    }
                    None => {
                        let what = if edited { "saved" } else { "created" };
                        let verb = if edited {
                            "no longer matches"
                        } else {
                            "does not match"
                        };
                        let undo = if self.list.role.is_some() {
                            "Esc clears the search, f changes the role filter"
                        } else {
                            "Esc clears the search"
                        };
                        self.warn(format!(
                            "{what} {}, but it {verb} the current view ({}); {undo}",
                            user.email,
                            self.list.filters()
                        ));
                        self.load_list(cmds);
                    }
                }
            }
            (Purpose::Keys(user_id), ApiReply::Keys(found)) => {
                if let Some(Modal::Delete { keys, .. }) = self.delete_dialog_for(&user_id) {
                    *keys = Some(found);
                }
            }
            (Purpose::MintToken, ApiReply::Minted(token)) => {
                if let Some(Modal::ResetRequest {
                    request,
                    minted,
                    error,
                    ..
                }) = self.modal_for(id)
                {
                    *request = None;
                    *error = None;
                    *minted = Some(token);
                }
            }
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
            (Purpose::Delete(user), ApiReply::Deleted(_)) => {
                let revoked = match self.modals.iter().find(|m| m.request() == Some(id)) {
                    Some(Modal::Delete {
                        keys: Some(keys),
                        revoke_keys: true,
                        ..
                    }) => keys.len(),
                    _ => 0,
                };
                self.close_modal_for(id);
                let mut text = format!("deleted {}", user.email);
                if revoked > 0 {
                    text.push_str(&format!(
                        " and revoked {revoked} secret key{}",
                        if revoked == 1 { "" } else { "s" }
                    ));
                }
                if self.caps().is_some_and(|c| c.deleted_sessions_stay_valid) {
                    text.push_str("; sessions they hold stay valid until they expire (24 h)");
                }
                self.info(text);
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
            (Purpose::SendToken, ApiReply::TokenSent { outbox: seen }) => {
                if let Some(Modal::ResetRequest {
                    request,
                    sent,
                    error,
                    outbox,
                    ..
                }) = self.modal_for(id)
                {
                    *request = None;
                    *sent = true;
                    *error = None;
                    *outbox = seen;
                }
            }
            (Purpose::FillToken, ApiReply::OutboxToken(token)) => {
                let Some(Modal::ResetRequest {
                    user,
                    request,
                    error,
                    outbox,
                    ..
                }) = self.modal_for(id)
                else {
                    return;
                };
                *request = None;
                match token {
                    Some(token) => {
                        if self
                            .modals
                            .last()
                            .is_some_and(|m| matches!(m, Modal::ResetRequest { .. }))
                        {
                            self.open_reset_apply(Some(token.expose_secret()));
                        }
                    }
                    None => {
                        *error = Some(format!(
                            "no reset token for {} in {} yet",
                            user.email,
                            outbox
                                .as_ref()
                                .map(|p| p.display().to_string())
                                .unwrap_or_default()
                        ));
                    }
                }
            }
            (Purpose::ApplyReset, ApiReply::User(user)) => {
                self.close_modal_for(id);
                self.info(format!(
                    "password changed for {}; older reset tokens are void",
                    user.email
                ));
            }
            (Purpose::ApplyReset, ApiReply::PasswordChanged) => {
                self.close_modal_for(id);
                self.info("password changed; older reset tokens are void".to_owned());
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
            Purpose::Keys(user_id) => {
                if let Some(Modal::Delete { keys, error: e, .. }) = self.delete_dialog_for(&user_id)
                {
                    *keys = Some(Vec::new());
                    *e = Some(format!(
                        "could not list the secret API keys this user created: {}",
                        error.message()
                    ));
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
                Some(Modal::Revoke {
                    request, error: e, ..
                }) => {
                    *request = None;
                    *e = Some(error.message());
                }
                Some(Modal::Delete {
                    request,
                    error: e,
                    step,
                    ..
                }) => {
                    *request = None;
                    *step = None;
                    *e = Some(error.message());
                }
                Some(Modal::ResetRequest {
                    request, error: e, ..
                }) => {
                    *request = None;
                    *e = Some(error.message());
                }
                _ => self.error(error.status_line()),
            },
        }
    }
}
