//! Keys and pastes: what each action does in the context that has the focus.

use crossterm::event::{Event, KeyEvent};
use secrecy::SecretString;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::*;

impl App {
    pub(super) fn on_key(&mut self, key: KeyEvent, cmds: &mut Vec<Command>) {
        let context = self.context();
        let action = self.keymap.action(context, &key);
        if action == Some(Action::Quit) {
            self.quit = true;
            return;
        }
        match context {
            Context::List => {
                if let Some(a) = action {
                    self.on_list_action(a, cmds);
                }
            }
            Context::Search => self.on_search_key(key, action, cmds),
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
            Context::Help => match action {
                Some(Action::Back) => {
                    self.modals.pop();
                }
                Some(Action::ScrollDown) => self.scroll_help(1),
                Some(Action::ScrollUp) => self.scroll_help(-1),
                _ => {}
            },
            Context::Form | Context::ResetApply | Context::Login => {
                self.on_form_key(key, action, cmds);
            }
            Context::Delete => match action {
                Some(Action::Confirm) => self.confirm_delete(cmds),
                Some(Action::Back) => {
                    self.modals.pop();
                }
                _ => {}
            },
            Context::ResetRequest => match action {
                Some(Action::SendToken) => self.send_reset_token(cmds),
                Some(Action::HaveToken) => {
                    if let Some(Modal::ResetRequest { user, .. }) = self.modals.pop() {
                        self.modals.push(Modal::ResetApply {
                            user,
                            form: forms::reset_apply_form(),
                            request: None,
                        });
                    }
                }
                Some(Action::Back) => {
                    self.modals.pop();
                }
                _ => {}
            },
            Context::Discard => match action {
                Some(Action::Confirm) => {
                    self.modals.pop();
                    self.modals.pop();
                }
                Some(Action::Back) => {
                    self.modals.pop();
                }
                _ => {}
            },
        }
    }

    fn scroll_help(&mut self, by: i32) {
        if let Some(Modal::Help { scroll }) = self.modals.last_mut() {
            *scroll = scroll.saturating_add_signed(by as i16);
        }
    }

    fn on_list_action(&mut self, action: Action, cmds: &mut Vec<Command>) {
        let rows = self.list.users().len();
        match action {
            Action::Down => self.select(
                self.list
                    .selected
                    .saturating_add(1)
                    .min(rows.saturating_sub(1)),
            ),
            Action::Up => self.select(self.list.selected.saturating_sub(1)),
            Action::First => self.select(0),
            Action::Last => self.select(rows.saturating_sub(1)),
            Action::NextPage => {
                let next = self
                    .list
                    .offset
                    .saturating_add(u64::from(self.list.page_size));
                if next < self.list.count() {
                    self.list.offset = next;
                    self.list.selected = 0;
                    self.load_list(cmds);
                } else {
                    self.info("already on the last page");
                }
            }
            Action::PrevPage => {
                if self.list.offset > 0 {
                    self.list.offset = self
                        .list
                        .offset
                        .saturating_sub(u64::from(self.list.page_size));
                    self.list.selected = 0;
                    self.load_list(cmds);
                } else {
                    self.info("already on the first page");
                }
            }
            Action::Search => self.search = Some(Input::new(self.list.q.clone())),
            Action::SortField => {
                let fields = [
                    OrderField::CreatedAt,
                    OrderField::Email,
                    OrderField::FirstName,
                    OrderField::LastName,
                ];
                let i = fields
                    .iter()
                    .position(|f| *f == self.list.order.field)
                    .unwrap_or(0);
                let field = fields[(i + 1) % fields.len()];
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
                        self.modals.push(Modal::Detail);
                    }
                }
            }
            Action::RevealToken => self.reveal_token = !self.reveal_token,
            Action::Create => {
                if self.refuse_if_read_only("creating users") {
                    return;
                }
                self.modals.push(Modal::Create {
                    form: forms::create_form(),
                    request: None,
                });
            }
            Action::Edit => self.open_for_selected("editing users", |user| Modal::Edit {
                form: forms::edit_form(&user),
                user,
                request: None,
            }),
            Action::Delete => self.open_for_selected("deleting users", |user| Modal::Delete {
                user,
                request: None,
                error: None,
            }),
            Action::ResetPassword => {
                self.open_for_selected("resetting passwords", |user| Modal::ResetRequest {
                    user,
                    request: None,
                    sent: false,
                    error: None,
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
            Action::DismissStatus => {
                if self.status.is_some() {
                    self.status = None;
                } else if !self.list.q.is_empty() {
                    self.list.q.clear();
                    self.reload_from_start(cmds);
                }
            }
            Action::Help => self.modals.push(Modal::Help { scroll: 0 }),
            _ => {}
        }
    }

    /// Opens a dialog about the selected user, unless read-only mode forbids `what`.
    fn open_for_selected(&mut self, what: &str, modal: impl FnOnce(User) -> Modal) {
        if self.refuse_if_read_only(what) {
            return;
        }
        if let Some(user) = self.list.selected_user().cloned() {
            self.modals.push(modal(user));
        }
    }

    fn select(&mut self, row: usize) {
        if row != self.list.selected {
            self.reveal_token = false;
        }
        self.list.selected = row;
    }

    fn refuse_if_read_only(&mut self, what: &str) -> bool {
        if self.session.read_only {
            self.error(format!("read-only mode: {what} is disabled"));
        }
        self.session.read_only
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
                if !self.list.q.is_empty() {
                    self.list.q.clear();
                    self.reload_from_start(cmds);
                }
            }
            _ => {
                if let Some(input) = &mut self.search
                    && input
                        .handle_event(&Event::Key(key))
                        .is_some_and(|s| s.value)
                {
                    self.list.q = input.value().trim().to_owned();
                    cmds.push(Command::SetTimer(Timer::SearchDebounce, SEARCH_DEBOUNCE));
                }
            }
        }
    }

    pub(super) fn on_paste(&mut self, text: String, cmds: &mut Vec<Command>) {
        let event = Event::Paste(text);
        match self.context() {
            Context::Form | Context::ResetApply | Context::Login => {
                if let Some(form) = self.modals.last_mut().and_then(Modal::form_mut) {
                    form.input(&event);
                }
            }
            Context::Search => {
                if let (Some(input), Event::Paste(text)) = (&mut self.search, &event) {
                    for c in text.chars().filter(|c| !c.is_control()) {
                        input.handle(tui_input::InputRequest::InsertChar(c));
                    }
                    self.list.q = input.value().trim().to_owned();
                    cmds.push(Command::SetTimer(Timer::SearchDebounce, SEARCH_DEBOUNCE));
                }
            }
            _ => {}
        }
    }

    fn on_form_key(&mut self, key: KeyEvent, action: Option<Action>, cmds: &mut Vec<Command>) {
        let Some(modal) = self.modals.last_mut() else {
            return;
        };
        let busy = modal.request().is_some();
        let Some(form) = modal.form_mut() else {
            return;
        };
        match action {
            Some(Action::NextField) => form.next(),
            Some(Action::PrevField) => form.previous(),
            Some(Action::RevealSecret) => form.toggle_reveal(),
            Some(Action::RoleNext) if form.focused_is_role() => form.cycle_role(true),
            Some(Action::RolePrev) if form.focused_is_role() => form.cycle_role(false),
            Some(Action::Advance) if !form.on_last_field() => form.next(),
            Some(Action::Advance | Action::Submit) => {
                if !busy {
                    self.submit_form(cmds);
                }
            }
            Some(Action::Back) => self.leave_form(),
            _ => {
                form.input(&Event::Key(key));
            }
        }
    }

    /// Esc on a form: close it, asking first when something was typed. The login screen only
    /// closes when there is nothing waiting on it.
    fn leave_form(&mut self) {
        match self.modals.last() {
            Some(Modal::Login { .. }) => {
                let signed_in = !matches!(self.session.state, ConnState::SignedOut);
                if signed_in && self.after_login.is_empty() {
                    self.modals.pop();
                } else {
                    self.error("log in to continue (Ctrl-C quits)");
                }
            }
            Some(
                Modal::Create { form, .. }
                | Modal::Edit { form, .. }
                | Modal::ResetApply { form, .. },
            ) if form.is_dirty() => {
                self.modals.push(Modal::Discard);
            }
            _ => {
                self.modals.pop();
            }
        }
    }

    fn submit_form(&mut self, cmds: &mut Vec<Command>) {
        let Some(modal) = self.modals.last_mut() else {
            return;
        };
        let (purpose, request) = match modal {
            Modal::Create { form, .. } => match forms::validate_create(form) {
                Some(body) => (Purpose::Create, ApiRequest::Create(body)),
                None => {
                    form.focus_first_error();
                    return;
                }
            },
            Modal::Edit { form, user, .. } => match forms::validate_edit(form, user) {
                Some(body) if body.is_empty() => {
                    self.modals.pop();
                    self.info("nothing changed");
                    return;
                }
                Some(body) => (
                    Purpose::Update,
                    ApiRequest::Update {
                        id: user.id.clone(),
                        body,
                    },
                ),
                None => {
                    form.focus_first_error();
                    return;
                }
            },
            Modal::ResetApply { form, user, .. } => {
                match forms::validate_reset(form, &user.email) {
                    Some(body) => (Purpose::ApplyReset, ApiRequest::ResetPassword(body)),
                    None => {
                        form.focus_first_error();
                        return;
                    }
                }
            }
            Modal::Login { form, .. } => match forms::validate_login(form) {
                Some((email, password)) => {
                    self.last_email = email.clone();
                    (
                        Purpose::Login,
                        ApiRequest::Login {
                            email,
                            password: SecretString::from(password),
                        },
                    )
                }
                None => {
                    form.focus_first_error();
                    return;
                }
            },
            _ => return,
        };
        let id = self.send(purpose, request, cmds);
        if let Some(modal) = self.modals.last_mut() {
            modal.set_request(Some(id));
        }
    }

    fn confirm_delete(&mut self, cmds: &mut Vec<Command>) {
        let Some(Modal::Delete {
            user,
            request: None,
            ..
        }) = self.modals.last()
        else {
            return;
        };
        let user = user.clone();
        let id = self.send(
            Purpose::Delete(user.clone()),
            ApiRequest::Delete(user.id),
            cmds,
        );
        if let Some(modal) = self.modals.last_mut() {
            modal.set_request(Some(id));
        }
    }

    fn send_reset_token(&mut self, cmds: &mut Vec<Command>) {
        let Some(Modal::ResetRequest {
            user,
            request: None,
            ..
        }) = self.modals.last()
        else {
            return;
        };
        let email = user.email.clone();
        let id = self.send(Purpose::SendToken, ApiRequest::SendResetToken(email), cmds);
        if let Some(modal) = self.modals.last_mut() {
            modal.set_request(Some(id));
        }
    }
}
