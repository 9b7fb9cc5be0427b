//! Bulk actions on marked users: `Space` marks, `*` marks the page, `u` clears; with marks, `d`
//! deletes, `r` sends reset e-mails and `e` changes the role (where users have roles: Medusa
//! v1, the role picked with ←/→ in the dialog) of every marked user. The invites tab has the
//! same marks, with `r` resending and `d` revoking every marked invite. One confirmation lists them (on a
//! production profile the profile's name is typed), then one request at a time, with the
//! progress on screen; `Esc` stops after the user in progress, never losing track of what was
//! done; at the end a result per user. Users that succeeded are unmarked, failed ones stay
//! marked for another try.

use crossterm::event::KeyEvent;

use crate::api::UpdateUser;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::*;

/// What a bulk action does to each user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkKind {
    Delete,
    /// Have the server e-mail each a password-reset token.
    ResetEmail,
    /// Give each this role.
    SetRole(Role),
    /// A new token for each marked invite (the old ones stop working).
    ResendInvites,
    RevokeInvites,
}

/// One thing a bulk action acts on.
#[derive(Debug, Clone)]
pub enum BulkItem {
    User(User),
    Invite(Invite),
}

impl BulkItem {
    pub fn id(&self) -> &str {
        match self {
            BulkItem::User(u) => &u.id,
            BulkItem::Invite(i) => &i.id,
        }
    }

    pub fn email(&self) -> &str {
        match self {
            BulkItem::User(u) => &u.email,
            BulkItem::Invite(i) => &i.email,
        }
    }

    pub fn role(&self) -> Option<Role> {
        match self {
            BulkItem::User(u) => u.role,
            BulkItem::Invite(i) => i.role,
        }
    }
}

impl BulkKind {
    pub fn verb(self) -> String {
        match self {
            BulkKind::Delete => "delete".to_owned(),
            BulkKind::ResetEmail => "send a reset e-mail to".to_owned(),
            BulkKind::SetRole(role) => format!("make {role}"),
            BulkKind::ResendInvites => "resend".to_owned(),
            BulkKind::RevokeInvites => "revoke".to_owned(),
        }
    }

    pub fn doing(self) -> String {
        match self {
            BulkKind::Delete => "deleting".to_owned(),
            BulkKind::ResetEmail => "sending reset e-mails".to_owned(),
            BulkKind::SetRole(role) => format!("making {role}"),
            BulkKind::ResendInvites => "resending invites".to_owned(),
            BulkKind::RevokeInvites => "revoking invites".to_owned(),
        }
    }

    /// Whether it acts on invites (marked in the invites tab) rather than users.
    pub fn on_invites(self) -> bool {
        matches!(self, BulkKind::ResendInvites | BulkKind::RevokeInvites)
    }

    fn request(self, item: &BulkItem) -> ApiRequest {
        let id = item.id().to_owned();
        match self {
            BulkKind::Delete => ApiRequest::Delete(id),
            BulkKind::ResetEmail => ApiRequest::SendResetToken(item.email().to_owned()),
            BulkKind::SetRole(role) => ApiRequest::Update {
                id,
                body: UpdateUser {
                    role: Some(role),
                    ..UpdateUser::default()
                },
            },
            BulkKind::ResendInvites => ApiRequest::ResendInvite(id),
            BulkKind::RevokeInvites => ApiRequest::RevokeInvite(id),
        }
    }

    /// Whether the list shows something else afterwards (a user gone, a role changed).
    fn changes_the_list(self) -> bool {
        !matches!(self, BulkKind::ResetEmail)
    }
}

/// Where a bulk action is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkState {
    /// Asking: the list of users, `y` (or the profile's name) starts.
    Confirm,
    /// One request at a time: the user at `index` is in progress.
    Running { index: usize, request: RequestId },
    /// Finished, or stopped by the operator before the end.
    Done { stopped: bool },
}

#[derive(Debug, Clone)]
pub struct Bulk {
    pub kind: BulkKind,
    pub items: Vec<BulkItem>,
    /// A result per user done so far, in order: `Err` holds the server's reason.
    pub results: Vec<Result<(), String>>,
    pub state: BulkState,
    /// Esc while running: stop once the user in progress is done.
    pub stop_asked: bool,
    /// On a production profile: the name typed so far (`y` does not start it there).
    pub typed_name: Option<Input>,
    pub error: Option<String>,
}

impl Bulk {
    pub fn done_count(&self) -> usize {
        self.results.len()
    }

    pub fn failed(&self) -> usize {
        self.results.iter().filter(|r| r.is_err()).count()
    }
}

impl App {
    /// `Space`: marks or unmarks the selected user (or invite), and moves down one row.
    pub(crate) fn toggle_mark(&mut self) {
        if self.refuse_unless_offered(Need::PreparesChanges, "marking for bulk changes") {
            return;
        }
        if self.tab == Tab::Invites {
            let Some(invite) = self.invites.selected_invite().cloned() else {
                return;
            };
            match self.invites.marked.iter().position(|i| i.id == invite.id) {
                Some(i) => {
                    self.invites.marked.remove(i);
                }
                None => self.invites.marked.push(invite),
            }
            if self.invites.selected + 1 < self.invites.invites().len() {
                let next = self.invites.selected + 1;
                self.select_invite(next);
            }
            return;
        }
        let Some(user) = self.list.selected_user().cloned() else {
            return;
        };
        match self.list.marked.iter().position(|u| u.id == user.id) {
            Some(i) => {
                self.list.marked.remove(i);
            }
            None => self.list.marked.push(user),
        }
        let rows = self.list.users().len();
        if self.list.selected + 1 < rows {
            self.list.selected += 1;
        }
    }

    /// `*`: marks every user (or invite) on the page.
    pub(crate) fn mark_page(&mut self) {
        if self.refuse_unless_offered(Need::PreparesChanges, "marking for bulk changes") {
            return;
        }
        if self.tab == Tab::Invites {
            for invite in self.invites.invites().to_vec() {
                if !self.invites.marked.iter().any(|i| i.id == invite.id) {
                    self.invites.marked.push(invite);
                }
            }
            return;
        }
        for user in self.list.users().to_vec() {
            if !self.list.marked.iter().any(|u| u.id == user.id) {
                self.list.marked.push(user);
            }
        }
    }

    pub(crate) fn clear_marks(&mut self) {
        let n = if self.tab == Tab::Invites {
            std::mem::take(&mut self.invites.marked).len()
        } else {
            std::mem::take(&mut self.list.marked).len()
        };
        if n > 0 {
            self.info(format!("cleared {n} mark{}", if n == 1 { "" } else { "s" }));
        }
    }

    pub fn is_marked(&self, id: &str) -> bool {
        self.list.marked.iter().any(|u| u.id == id)
    }

    pub fn is_invite_marked(&self, id: &str) -> bool {
        self.invites.marked.iter().any(|i| i.id == id)
    }

    /// `d` or `r` with marks: the confirmation for every marked user.
    pub(crate) fn open_bulk(&mut self, kind: BulkKind) {
        if self.refuse_unless_offered(Need::PreparesChanges, "bulk changes") {
            return;
        }
        if kind == BulkKind::ResetEmail && !self.caps().is_some_and(|c| c.reset.email_token) {
            self.error("this server does not e-mail reset tokens; reset one user at a time");
            return;
        }
        if matches!(kind, BulkKind::SetRole(_)) && !self.caps().is_some_and(|c| c.roles) {
            self.error("users have no roles on this server; edit one user at a time");
            return;
        }
        let by_name = self
            .session
            .profile
            .as_ref()
            .is_some_and(|p| p.confirm_by_name);
        let items = if kind.on_invites() {
            self.invites
                .marked
                .iter()
                .cloned()
                .map(BulkItem::Invite)
                .collect()
        } else {
            self.list
                .marked
                .iter()
                .cloned()
                .map(BulkItem::User)
                .collect()
        };
        self.push_modal(Modal::Bulk(Bulk {
            kind,
            items,
            results: Vec::new(),
            state: BulkState::Confirm,
            stop_asked: false,
            typed_name: by_name.then(Input::default),
            error: None,
        }));
    }

    /// A key in the bulk dialog.
    pub(super) fn on_bulk_key(
        &mut self,
        key: KeyEvent,
        action: Option<Action>,
        cmds: &mut Vec<Command>,
    ) {
        use crossterm::event::{KeyCode, KeyModifiers};
        let wanted = self.session.profile.as_ref().map(|p| p.name.clone());
        let Some(Modal::Bulk(bulk)) = self.modals.last_mut() else {
            return;
        };
        match bulk.state.clone() {
            BulkState::Confirm => {
                if let Some(input) = &mut bulk.typed_name
                    && !key.modifiers.contains(KeyModifiers::CONTROL)
                {
                    match key.code {
                        KeyCode::Esc => {
                            self.modals.pop();
                        }
                        // The name is text here, so the role moves with Tab.
                        KeyCode::Tab | KeyCode::BackTab => {
                            if let BulkKind::SetRole(role) = &mut bulk.kind {
                                *role = if key.code == KeyCode::Tab {
                                    role.next()
                                } else {
                                    role.previous()
                                };
                            }
                        }
                        KeyCode::Enter if Some(input.value().to_owned()) == wanted => {
                            self.start_bulk(cmds);
                        }
                        KeyCode::Enter => {
                            bulk.error = Some(format!(
                                "type the profile's name, {}, exactly",
                                wanted.unwrap_or_default()
                            ));
                        }
                        _ => {
                            input.handle_event(&crossterm::event::Event::Key(key));
                            bulk.error = None;
                        }
                    }
                    return;
                }
                match action {
                    Some(Action::Confirm) => self.start_bulk(cmds),
                    Some(a @ (Action::RoleNext | Action::RolePrev)) => {
                        if let BulkKind::SetRole(role) = &mut bulk.kind {
                            *role = if a == Action::RoleNext {
                                role.next()
                            } else {
                                role.previous()
                            };
                        }
                    }
                    Some(Action::Back) => {
                        self.modals.pop();
                    }
                    _ => {}
                }
            }
            BulkState::Running { .. } => {
                if action == Some(Action::Back) {
                    bulk.stop_asked = true;
                }
            }
            BulkState::Done { .. } => {
                if matches!(action, Some(Action::Back | Action::Submit)) {
                    self.modals.pop();
                }
            }
        }
    }

    fn start_bulk(&mut self, cmds: &mut Vec<Command>) {
        self.send_bulk_step(0, cmds);
    }

    /// Sends the request for user `index`, or ends the run.
    fn send_bulk_step(&mut self, index: usize, cmds: &mut Vec<Command>) {
        let Some(Modal::Bulk(bulk)) = self.modals.last() else {
            return;
        };
        let (kind, item, stop) = (bulk.kind, bulk.items.get(index).cloned(), bulk.stop_asked);
        match item {
            Some(item) if !stop => {
                let id = self.send(Purpose::Bulk(index), kind.request(&item), cmds);
                if let Some(Modal::Bulk(bulk)) = self.modals.last_mut() {
                    bulk.state = BulkState::Running { index, request: id };
                }
            }
            _ => self.finish_bulk(stop, cmds),
        }
    }

    fn finish_bulk(&mut self, stopped: bool, cmds: &mut Vec<Command>) {
        let Some(Modal::Bulk(bulk)) = self.modals.last_mut() else {
            return;
        };
        bulk.state = BulkState::Done { stopped };
        let succeeded: Vec<String> = bulk
            .items
            .iter()
            .zip(&bulk.results)
            .filter(|(_, r)| r.is_ok())
            .map(|(item, _)| item.id().to_owned())
            .collect();
        let (kind, done, failed, total) = (
            bulk.kind,
            bulk.done_count(),
            bulk.failed(),
            bulk.items.len(),
        );
        if kind.on_invites() {
            self.invites.marked.retain(|i| !succeeded.contains(&i.id));
        } else {
            self.list.marked.retain(|u| !succeeded.contains(&u.id));
        }
        let mut text = format!(
            "{}: {} of {total} done, {failed} failed",
            kind.doing(),
            done - failed
        );
        if stopped {
            text.push_str(&format!(" (stopped; {} not started)", total - done));
        }
        if failed > 0 {
            self.error(text);
        } else {
            self.info(text);
        }
        if kind.on_invites() && done > failed {
            self.load_invites(cmds);
        } else if kind.changes_the_list() && done > failed {
            self.load_list(cmds);
        }
    }

    /// The reply for user `index` of the run in progress.
    pub(super) fn on_bulk_reply(
        &mut self,
        index: usize,
        result: Result<(), String>,
        unreachable: bool,
        cmds: &mut Vec<Command>,
    ) {
        let Some(Modal::Bulk(bulk)) = self
            .modals
            .iter_mut()
            .rev()
            .find(|m| matches!(m, Modal::Bulk(_)))
        else {
            return;
        };
        if bulk.results.len() == index {
            bulk.results.push(result);
        }
        // A server that cannot be reached will not take the next user either: stop, keeping
        // what was done; the marks left say who is still to do.
        if unreachable {
            bulk.stop_asked = true;
        }
        self.send_bulk_step(index + 1, cmds);
    }
}
