//! Keys on the user list (and the detail view, which passes its own here): moving and paging,
//! searching, sorting and filtering, and opening what acts on the selected (or marked) users.

use tui_input::Input;

use crate::api::{Operation, Order, OrderField, Role, User};
use crate::tui::app::{ApiRequest, App, BulkKind, Command, Land, Modal, Purpose, Tab};
use crate::tui::forms;
use crate::tui::keymap::Action;
use crate::tui::screens::help::HelpOverlay;
use crate::tui::screens::reset::ResetDialog;

impl App {
    /// A key on one user's full screen (narrow terminals): what the list's keys do to the
    /// selected user, and Esc back.
    pub(crate) fn on_detail_key(&mut self, action: Option<Action>, cmds: &mut Vec<Command>) {
        match action {
            Some(Action::Back) => {
                self.modals.pop();
            }
            Some(
                a @ (Action::RevealToken | Action::Edit | Action::Delete | Action::ResetPassword),
            ) => self.on_list_action(a, cmds),
            _ => {}
        }
    }

    pub(crate) fn on_list_action(&mut self, action: Action, cmds: &mut Vec<Command>) {
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
                self.open_for_selected(Operation::ResetPassword, |user| {
                    Modal::ResetRequest(ResetDialog::new(user))
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
            Action::Help => self.push_modal(Modal::Help(HelpOverlay::default())),
            Action::NextTab | Action::InvitesTab => self.switch_tab(Tab::Invites, cmds),
            _ => {}
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
}
