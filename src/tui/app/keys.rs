//! Keys and pastes: what each action does in the context that has the focus.

use crossterm::event::{Event, KeyEvent};
use secrecy::ExposeSecret;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::*;

impl App {
    pub(super) fn on_key(&mut self, key: KeyEvent, cmds: &mut Vec<Command>) {
        let context = self.context();
        // Typing a production profile's name: every key is text, except Enter, Esc, Tab and
        // the Ctrl chords (Ctrl-C still quits).
        if context == Context::Delete
            && !key
                .modifiers
                .contains(crossterm::event::KeyModifiers::CONTROL)
            && matches!(
                self.modals.last(),
                Some(Modal::Delete {
                    typed_name: Some(_),
                    request: None,
                    ..
                })
            )
        {
            self.on_production_name_key(key, cmds);
            return;
        }
        if context == Context::Export
            && !key
                .modifiers
                .contains(crossterm::event::KeyModifiers::CONTROL)
        {
            self.on_export_key(key, cmds);
            return;
        }
        if context == Context::Bulk
            && !key
                .modifiers
                .contains(crossterm::event::KeyModifiers::CONTROL)
            && matches!(
                self.modals.last(),
                Some(Modal::Bulk(Bulk {
                    typed_name: Some(_),
                    state: BulkState::Confirm,
                    ..
                }))
            )
        {
            self.on_bulk_key(key, None, cmds);
            return;
        }
        let pending = self.pending_key.take();
        let action = match self.keymap.resolve(context, pending, &key, &self.offer()) {
            Resolved::Action(a) => Some(a),
            Resolved::Pending(first) => {
                self.pending_key = Some(first);
                return;
            }
            Resolved::Nothing => None,
        };
        match action {
            Some(Action::Quit) => {
                if !self.ask_before_quitting() {
                    cmds.push(Command::Quit);
                }
                return;
            }
            Some(Action::Suspend) => {
                cmds.push(Command::Suspend);
                return;
            }
            _ => {}
        }
        match context {
            Context::List => {
                if let Some(a) = action {
                    self.on_list_action(a, cmds);
                }
            }
            Context::Invites => {
                if let Some(a) = action {
                    self.on_invites_action(a, cmds);
                }
            }
            Context::InviteDetail => match action {
                Some(Action::Back) => {
                    self.modals.pop();
                }
                Some(
                    a @ (Action::RevealToken
                    | Action::Resend
                    | Action::Delete
                    | Action::CopyToken
                    | Action::CopyLink),
                ) => self.on_invites_action(a, cmds),
                _ => {}
            },
            Context::Revoke => match action {
                Some(Action::Confirm) => self.confirm_revoke(cmds),
                Some(Action::Back) => {
                    self.modals.pop();
                }
                _ => {}
            },
            Context::InviteToken => match action {
                Some(a @ (Action::CopyToken | Action::CopyLink)) => {
                    if let Some(Modal::InviteToken { invite, .. }) = self.modals.last() {
                        let invite = invite.clone();
                        self.copy_invite(&invite, a, cmds);
                    }
                }
                Some(Action::Back) => {
                    self.modals.pop();
                }
                _ => {}
            },
            Context::Search => self.on_search_key(key, action, cmds),
            Context::GoToPage => self.on_goto_key(key, action, cmds),
            Context::Detail => match action {
                Some(Action::Back) => {
                    self.modals.pop();
                }
                Some(
                    a @ (Action::RevealToken
                    | Action::Edit
                    | Action::Delete
                    | Action::ResetPassword),
                ) => {
                    self.on_list_action(a, cmds);
                }
                _ => {}
            },
            Context::Help | Context::Messages => match action {
                Some(Action::Back) => {
                    self.modals.pop();
                }
                Some(Action::Filter) => {
                    if let Some(Modal::Help { editing, .. }) = self.modals.last_mut() {
                        *editing = true;
                    }
                }
                Some(a) => self.scroll_overlay(a),
                None => {}
            },
            Context::HelpFilter => self.on_help_filter_key(key, action),
            Context::Form | Context::InviteForm | Context::ResetApply | Context::Login => {
                self.on_form_key(key, action, cmds);
            }
            Context::Profiles => self.on_profiles_action(action, cmds),
            Context::Everywhere => self.on_everywhere_action(action, cmds),
            Context::Bulk => self.on_bulk_key(key, action, cmds),
            // Only Ctrl chords get here (the others went to the path above).
            Context::Export => {}
            Context::Delete => match action {
                Some(Action::Confirm) => self.confirm_delete(cmds),
                Some(Action::ToggleRevokeKeys) => {
                    if let Some(Modal::Delete {
                        keys: Some(keys),
                        revoke_keys,
                        request: None,
                        ..
                    }) = self.modals.last_mut()
                        && !keys.is_empty()
                    {
                        *revoke_keys = !*revoke_keys;
                    }
                }
                Some(Action::Back) => {
                    self.modals.pop();
                }
                _ => {}
            },
            Context::ResetRequest => match action {
                Some(Action::SendToken) => self.send_reset_token(cmds),
                Some(Action::HaveToken) => {
                    // A token minted here is the one to use.
                    let minted = match self.modals.last() {
                        Some(Modal::ResetRequest {
                            minted: Some(t), ..
                        }) => Some(t.expose_secret().to_owned()),
                        _ => None,
                    };
                    self.open_reset_apply(minted.as_deref());
                }
                Some(Action::FillToken) => self.fill_token(cmds),
                Some(Action::MintToken) => self.mint_token(cmds),
                Some(a @ (Action::CopyToken | Action::CopyLink)) => self.copy_minted(a, cmds),
                Some(Action::Back) => {
                    self.modals.pop();
                }
                _ => {}
            },
            Context::Discard => match action {
                Some(Action::Confirm) => {
                    let quit = matches!(self.modals.pop(), Some(Modal::Discard { quit: true }));
                    self.modals.pop();
                    if quit {
                        cmds.push(Command::Quit);
                    }
                }
                Some(Action::Back) => {
                    self.modals.pop();
                }
                _ => {}
            },
            Context::Global => {}
        }
    }

    pub(super) fn on_list_action(&mut self, action: Action, cmds: &mut Vec<Command>) {
        let rows = self.list.users().len();
        let size = u64::from(self.list.page_size.max(1));
        match action {
            Action::Down => {
                if self.list.selected + 1 < rows {
                    self.select(self.list.selected + 1);
                } else if !self.list.is_loading()
                    && rows > 0
                    && self.list.offset.saturating_add(rows as u64) < self.list.count()
                {
                    self.load_page(self.list.offset.saturating_add(size), Land::Row(0), cmds);
                }
            }
            Action::Up => {
                if self.list.selected > 0 {
                    self.select(self.list.selected - 1);
                } else if !self.list.is_loading() && self.list.offset > 0 {
                    self.load_page(self.list.offset.saturating_sub(size), Land::Last, cmds);
                }
            }
            Action::PageTop => self.select(0),
            Action::PageBottom => self.select(rows.saturating_sub(1)),
            Action::First => self.go_to_position(0, cmds),
            Action::Last => self.go_to_position(self.list.total().saturating_sub(1), cmds),
            Action::HalfPageDown => {
                let to = self.list.position().saturating_add((size / 2).max(1));
                self.go_to_position(to.min(self.list.total().saturating_sub(1)), cmds);
            }
            Action::HalfPageUp => {
                let to = self.list.position().saturating_sub((size / 2).max(1));
                self.go_to_position(to, cmds);
            }
            Action::NextPage => {
                let next = self.list.offset.saturating_add(size);
                if next < self.list.count() {
                    self.load_page(next, Land::Row(0), cmds);
                } else {
                    self.info("already on the last page");
                }
            }
            Action::PrevPage => {
                if self.list.offset > 0 {
                    self.load_page(self.list.offset.saturating_sub(size), Land::Row(0), cmds);
                } else {
                    self.info("already on the first page");
                }
            }
            Action::GoToPage if self.list.page.is_some() => self.goto = Some(Input::default()),
            Action::Search => self.search = Some(Input::new(self.list.q.clone())),
            Action::SortField => {
                // The columns the list shows, in their order, where this server sorts by them.
                let fields: Vec<OrderField> = [
                    OrderField::CreatedAt,
                    OrderField::Email,
                    OrderField::FirstName,
                    OrderField::LastName,
                ]
                .into_iter()
                .filter(|f| self.caps().is_none_or(|c| c.can_order_by(*f)))
                .collect();
                let i = fields
                    .iter()
                    .position(|f| *f == self.list.order.field)
                    .unwrap_or(0);
                let field = fields
                    .get((i + 1) % fields.len().max(1))
                    .copied()
                    .unwrap_or(OrderField::CreatedAt);
                self.list.order = if field == OrderField::CreatedAt {
                    Order::desc(field)
                } else {
                    Order::asc(field)
                };
                self.reload_from_start(cmds);
            }
            Action::SortDirection => {
                self.list.order.descending = !self.list.order.descending;
                self.reload_from_start(cmds);
            }
            Action::RoleFilter => {
                self.list.role = match self.list.role {
                    None => Some(Role::Admin),
                    Some(Role::Admin) => Some(Role::Member),
                    Some(Role::Member) => Some(Role::Developer),
                    Some(Role::Developer) => None,
                };
                self.reload_from_start(cmds);
            }
            Action::Refresh => {
                self.drop_cache(cmds);
                self.load_list(cmds);
                if self.session.me.is_none() {
                    self.send(Purpose::Me, ApiRequest::Me, cmds);
                }
            }
            Action::Open => {
                if let Some(user) = self.list.selected_user() {
                    let id = user.id.clone();
                    self.send(Purpose::Detail, ApiRequest::Retrieve(id), cmds);
                    if !self.is_wide() {
                        self.push_modal(Modal::Detail);
                    }
                }
            }
            Action::RevealToken => self.reveal_token = !self.reveal_token,
            Action::Create => {
                if self.refuse_unless_allowed(Operation::CreateUser) {
                    return;
                }
                let form = forms::create_form(self.caps());
                self.push_modal(Modal::Create {
                    form,
                    request: None,
                    step: None,
                });
            }
            Action::Edit if !self.list.marked.is_empty() => {
                // The picker starts at the first marked user's role.
                let first = self.list.marked.iter().find_map(|u| u.role);
                self.open_bulk(BulkKind::SetRole(first.unwrap_or(Role::Member)));
            }
            Action::Edit => {
                let caps = self.session.caps.clone();
                self.open_for_selected(Operation::UpdateUser, |user| Modal::Edit {
                    form: forms::edit_form(&user, caps.as_ref()),
                    user,
                    request: None,
                });
            }
            Action::Mark => self.toggle_mark(),
            Action::MarkPage => self.mark_page(),
            Action::ClearMarks => self.clear_marks(),
            Action::Export => self.open_export(),
            Action::Delete if !self.list.marked.is_empty() => self.open_bulk(BulkKind::Delete),
            Action::ResetPassword if !self.list.marked.is_empty() => {
                self.open_bulk(BulkKind::ResetEmail);
            }
            Action::Delete => self.open_delete(cmds),
            Action::ResetPassword => {
                self.open_for_selected(Operation::ResetPassword, |user| Modal::ResetRequest {
                    user,
                    request: None,
                    sent: false,
                    error: None,
                    outbox: None,
                    minted: None,
                });
            }
            Action::CopyEmail | Action::CopyId => {
                if let Some(user) = self.list.selected_user() {
                    let (text, what) = if action == Action::CopyEmail {
                        (user.email.clone(), "e-mail")
                    } else {
                        (user.id.clone(), "user id")
                    };
                    self.info(format!("copied {what} {text} to the clipboard"));
                    cmds.push(Command::Copy { text });
                }
            }
            Action::CopyJson => {
                if let Some(user) = self.list.selected_user() {
                    let mut user = user.clone();
                    // The API token is masked on screen until `v` shows it; the copy follows.
                    if !self.reveal_token && user.api_token.is_some() {
                        user.api_token = None;
                    }
                    match serde_json::to_string_pretty(&user) {
                        Ok(text) => {
                            self.info(format!(
                                "copied {} as JSON to the clipboard{}",
                                user.email,
                                if user.wire == crate::api::Dialect::V1 && !self.reveal_token {
                                    " (API token left out: v shows it, then it is copied too)"
                                } else {
                                    ""
                                }
                            ));
                            cmds.push(Command::Copy { text });
                        }
                        Err(e) => self.error(format!("cannot copy as JSON: {e}")),
                    }
                }
            }
            Action::DismissStatus => {
                if self.status.is_some() {
                    self.status = None;
                } else if !self.list.q.is_empty() {
                    self.list.q.clear();
                    self.reload_from_start(cmds);
                }
            }
            Action::Messages => self.push_modal(Modal::Messages { scroll: 0 }),
            Action::Profiles => self.open_profiles(),
            Action::Everywhere => self.open_everywhere(cmds),
            Action::Help => self.push_modal(Modal::Help {
                scroll: 0,
                filter: Input::default(),
                editing: false,
            }),
            Action::NextTab | Action::InvitesTab => self.switch_tab(Tab::Invites, cmds),
            _ => {}
        }
    }

    /// Loads the page at `offset`, the selection landing as `land` says: at once when it was
    /// fetched ahead, otherwise the old page stays on screen until it arrives.
    pub(super) fn load_page(&mut self, offset: u64, land: Land, cmds: &mut Vec<Command>) {
        if self.page_from_cache(offset, land.clone(), cmds) {
            return;
        }
        self.list.offset = offset;
        self.list.land = Some(land);
        self.load_list(cmds);
    }

    /// Selects the user at `position` in the whole list, loading its page when it is another.
    fn go_to_position(&mut self, position: u64, cmds: &mut Vec<Command>) {
        if self.list.page.is_none() {
            return;
        }
        let size = u64::from(self.list.page_size.max(1));
        let offset = position / size * size;
        let row = (position - offset) as usize;
        if offset == self.list.offset && !self.list.is_loading() {
            self.select(row.min(self.list.users().len().saturating_sub(1)));
        } else {
            self.load_page(offset, Land::Row(row), cmds);
        }
    }

    /// Opens a dialog about the selected user, unless read-only mode forbids `what`.
    fn open_for_selected(&mut self, op: Operation, modal: impl FnOnce(User) -> Modal) {
        if self.refuse_unless_allowed(op) {
            return;
        }
        if let Some(user) = self.list.selected_user().cloned() {
            self.push_modal(modal(user));
        }
    }

    pub(super) fn select(&mut self, row: usize) {
        if row != self.list.selected {
            self.reveal_token = false;
        }
        self.list.selected = row;
        // A re-page on its way (the window changed) would put the selection back on the user
        // remembered when it was sent; the operator has moved since, so it lands here instead.
        if self.list.is_loading()
            && let Some(Land::User { .. }) = self.list.land
            && let Some(page) = &self.list.page
            && let Some(user) = page.users.get(row)
        {
            let position = page.offset.saturating_add(row as u64);
            let row = position.saturating_sub(self.list.offset) as usize;
            self.list.land = Some(Land::User {
                id: user.id.clone(),
                row,
            });
        }
    }

    /// Says so and answers true when the keymap's offer (read-only mode, via
    /// [`Operation::changes_data`]) rules out `need`; `activity` names it for the operator.
    pub(crate) fn refuse_unless_offered(&mut self, need: Need, activity: &str) -> bool {
        let refused = !self.offer().allows(need);
        if refused {
            self.error(format!("read-only mode: {activity} is disabled"));
        }
        refused
    }

    /// [`App::refuse_unless_offered`] for an operation on the server.
    pub(crate) fn refuse_unless_allowed(&mut self, op: Operation) -> bool {
        self.refuse_unless_offered(Need::Performs(op), op.activity())
    }

    fn on_search_key(&mut self, key: KeyEvent, action: Option<Action>, cmds: &mut Vec<Command>) {
        match action {
            Some(Action::Submit) => {
                self.search = None;
                // Results for the final text may still be on their way (debounce).
                cmds.push(Command::SetTimer(Timer::SearchDebounce, Duration::ZERO));
            }
            Some(Action::Back) => {
                self.search = None;
                if !self.query().is_empty() {
                    self.query_mut().clear();
                    self.reload_active_from_start(cmds);
                }
            }
            _ => {
                if let Some(input) = &mut self.search
                    && input
                        .handle_event(&Event::Key(key))
                        .is_some_and(|s| s.value)
                {
                    let q = input.value().trim().to_owned();
                    *self.query_mut() = q;
                    cmds.push(Command::SetTimer(Timer::SearchDebounce, SEARCH_DEBOUNCE));
                }
            }
        }
    }

    /// The `:` prompt: digits, then Enter goes to that page (the last one if it is past it).
    fn on_goto_key(&mut self, key: KeyEvent, action: Option<Action>, cmds: &mut Vec<Command>) {
        match action {
            Some(Action::Submit) => {
                let typed = self.goto.take().map(|i| i.value().to_owned());
                match typed.as_deref().map(str::parse::<u64>) {
                    Some(Ok(n)) if n > 0 => {
                        let page = n.min(self.list.page_total());
                        let offset = (page - 1).saturating_mul(u64::from(self.list.page_size));
                        if offset != self.list.offset || self.list.is_loading() {
                            self.load_page(offset, Land::Row(0), cmds);
                        } else {
                            self.select(0);
                        }
                    }
                    Some(_) if typed.as_deref().is_some_and(|t| !t.is_empty()) => {
                        self.error(format!(
                            "no page {:?}: pages are 1 to {}",
                            typed.unwrap_or_default(),
                            self.list.page_total()
                        ));
                    }
                    _ => {}
                }
            }
            Some(Action::Back) => self.goto = None,
            _ => {
                let digit = matches!(key.code, KeyCode::Char(c) if c.is_ascii_digit());
                let editing = matches!(
                    key.code,
                    KeyCode::Backspace
                        | KeyCode::Delete
                        | KeyCode::Left
                        | KeyCode::Right
                        | KeyCode::Home
                        | KeyCode::End
                );
                if let Some(input) = &mut self.goto
                    && (editing || (digit && input.value().len() < 20))
                {
                    input.handle_event(&Event::Key(key));
                }
            }
        }
    }

    pub(super) fn on_paste(&mut self, text: String, cmds: &mut Vec<Command>) {
        let event = Event::Paste(text);
        match self.context() {
            Context::Form | Context::InviteForm | Context::ResetApply | Context::Login => {
                if let Some(form) = self.modals.last_mut().and_then(Modal::form_mut) {
                    form.input(&event);
                }
            }
            Context::Search => {
                if let (Some(input), Event::Paste(text)) = (&mut self.search, &event) {
                    for c in text.chars().filter(|c| !c.is_control()) {
                        input.handle(tui_input::InputRequest::InsertChar(c));
                    }
                    let q = input.value().trim().to_owned();
                    *self.query_mut() = q;
                    cmds.push(Command::SetTimer(Timer::SearchDebounce, SEARCH_DEBOUNCE));
                }
            }
            Context::HelpFilter => {
                if let (Some(Modal::Help { filter, scroll, .. }), Event::Paste(text)) =
                    (self.modals.last_mut(), &event)
                {
                    for c in text.chars().filter(|c| !c.is_control()) {
                        filter.handle(tui_input::InputRequest::InsertChar(c));
                    }
                    *scroll = 0;
                }
            }
            Context::GoToPage => {
                if let (Some(input), Event::Paste(text)) = (&mut self.goto, &event) {
                    let room = 20usize.saturating_sub(input.value().len());
                    for c in text.chars().filter(char::is_ascii_digit).take(room) {
                        input.handle(tui_input::InputRequest::InsertChar(c));
                    }
                }
            }
            _ => {}
        }
    }
}
