//! The bulk dialog at work: it opens on the marked users or invites, asks (on a production
//! profile the name is typed), then sends one request at a time; `Esc` stops after the one in
//! progress; the replies fill in a result each.

use tui_input::Input;

use super::{Bulk, BulkItem, BulkKind, BulkState};
use crate::tui::app::{App, Command, Modal, Purpose};
use crate::tui::keymap::{Action, Need};

impl App {
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

    /// A key in the bulk dialog (a production profile's name, when asked for, is typed
    /// through `app/production.rs`).
    pub(crate) fn on_bulk_key(&mut self, action: Option<Action>, cmds: &mut Vec<Command>) {
        let Some(Modal::Bulk(bulk)) = self.modals.last_mut() else {
            return;
        };
        match bulk.state.clone() {
            BulkState::Confirm => match action {
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
            },
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

    pub(crate) fn start_bulk(&mut self, cmds: &mut Vec<Command>) {
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
    pub(crate) fn on_bulk_reply(
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
