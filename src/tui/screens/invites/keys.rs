//! Keys on the Invites tab: moving and paging, sorting and searching, and acting on the
//! selected invite (create, resend, revoke, copy its token or link).

use tui_input::Input;

use crate::api::{CreateInvite, Invite, InviteOrder, InviteOrderField, Operation};
use crate::tui::app::{ApiRequest, App, BulkKind, Command, Modal, Purpose, Tab};
use crate::tui::form::Form;
use crate::tui::forms;
use crate::tui::keymap::Action;
use crate::tui::screens::help::HelpOverlay;

impl App {
    /// The dashboard's page that accepts an invite, when an admin URL is known:
    /// `<admin>/invite?token=…` (Medusa's admin route for invites).
    pub fn invite_link(&self, token: &str) -> Option<String> {
        Some(crate::api::invite_link(self.admin_url.as_ref()?, token).to_string())
    }

    pub(crate) fn on_invites_action(&mut self, action: Action, cmds: &mut Vec<Command>) {
        let rows = self.invites.invites().len();
        let size = u64::from(self.invites.page_size.max(1));
        let count = self.invites.count();
        match action {
            Action::NextTab | Action::UsersTab => self.switch_tab(Tab::Users, cmds),
            Action::InvitesTab => {}
            Action::Down => {
                if self.invites.selected + 1 < rows {
                    self.select_invite(self.invites.selected + 1);
                } else if !self.invites.is_loading()
                    && rows > 0
                    && self.invites.offset.saturating_add(rows as u64) < count
                {
                    self.load_invite_page(self.invites.offset.saturating_add(size), false, cmds);
                }
            }
            Action::Up => {
                if self.invites.selected > 0 {
                    self.select_invite(self.invites.selected - 1);
                } else if !self.invites.is_loading() && self.invites.offset > 0 {
                    self.load_invite_page(self.invites.offset.saturating_sub(size), true, cmds);
                }
            }
            Action::First => {
                if self.invites.offset == 0 {
                    self.select_invite(0);
                } else {
                    self.load_invite_page(0, false, cmds);
                }
            }
            Action::Last => {
                let last = count.saturating_sub(1) / size * size;
                if last == self.invites.offset {
                    self.select_invite(rows.saturating_sub(1));
                } else {
                    self.load_invite_page(last, true, cmds);
                }
            }
            Action::NextPage => {
                let next = self.invites.offset.saturating_add(size);
                if next < count {
                    self.load_invite_page(next, false, cmds);
                } else {
                    self.info("already on the last page");
                }
            }
            Action::PrevPage => {
                if self.invites.offset > 0 {
                    self.load_invite_page(self.invites.offset.saturating_sub(size), false, cmds);
                } else {
                    self.info("already on the first page");
                }
            }
            Action::Search => self.search = Some(Input::new(self.invites.q.clone())),
            Action::Refresh => self.load_invites(cmds),
            Action::SortField => {
                // Created (newest first), then e-mail and expiry (soonest first).
                let order = &mut self.invites.order;
                *order = match order.field {
                    InviteOrderField::CreatedAt => InviteOrder {
                        field: InviteOrderField::Email,
                        descending: false,
                    },
                    InviteOrderField::Email => InviteOrder {
                        field: InviteOrderField::ExpiresAt,
                        descending: false,
                    },
                    // The console does not offer role (v1's CLI does); from it, start over.
                    InviteOrderField::ExpiresAt | InviteOrderField::Role => InviteOrder::default(),
                };
                self.reload_invites_from_start(cmds);
            }
            Action::SortDirection => {
                self.invites.order.descending = !self.invites.order.descending;
                self.reload_invites_from_start(cmds);
            }
            // Wide terminals show the pane beside the list already.
            Action::Open if self.invites.selected_invite().is_some() && !self.is_wide() => {
                self.push_modal(Modal::InviteDetail);
            }
            Action::RevealToken => self.reveal_invite = !self.reveal_invite,
            Action::Create => {
                if self.refuse_unless_allowed(Operation::CreateInvite) {
                    return;
                }
                let form = forms::invite_form(self.caps());
                self.push_modal(Modal::InviteCreate {
                    form,
                    request: None,
                });
            }
            Action::Mark => self.toggle_mark(),
            Action::MarkPage => self.mark_page(),
            Action::ClearMarks => self.clear_marks(),
            Action::Resend if !self.invites.marked.is_empty() => {
                self.open_bulk(BulkKind::ResendInvites);
            }
            Action::Delete if !self.invites.marked.is_empty() => {
                self.open_bulk(BulkKind::RevokeInvites);
            }
            Action::Resend => self.resend_invite(cmds),
            Action::Delete => self.open_revoke(),
            Action::CopyToken | Action::CopyLink => {
                if let Some(invite) = self.invites.selected_invite().cloned() {
                    self.copy_invite(&invite, action, cmds);
                }
            }
            Action::DismissStatus => {
                if self.status.is_some() {
                    self.status = None;
                } else if !self.invites.q.is_empty() {
                    self.invites.q.clear();
                    self.reload_invites_from_start(cmds);
                }
            }
            Action::Messages => self.push_modal(Modal::Messages { scroll: 0 }),
            Action::Profiles => self.open_profiles(),
            Action::Help => self.push_modal(Modal::Help(HelpOverlay::default())),
            _ => {}
        }
    }

    /// A key on the invite's full screen (narrow terminals): what the tab's keys do to the
    /// selected invite, and Esc back.
    pub(crate) fn on_invite_detail_key(&mut self, action: Option<Action>, cmds: &mut Vec<Command>) {
        match action {
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
        }
    }

    /// A key in the dialog that shows a new invite's token: copy it or its link, or close.
    pub(crate) fn on_invite_token_key(&mut self, action: Option<Action>, cmds: &mut Vec<Command>) {
        match action {
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
        }
    }

    /// `r`: a new token for the selected invite (at most one resend per invite at a time).
    fn resend_invite(&mut self, cmds: &mut Vec<Command>) {
        if self.refuse_unless_allowed(Operation::ResendInvite) {
            return;
        }
        let Some(invite) = self.invites.selected_invite() else {
            return;
        };
        let request = ApiRequest::ResendInvite(invite.id.clone());
        if !self.is_pending(&request) {
            self.send(Purpose::ResendInvite, request, cmds);
        }
    }

    /// `y` / `l`: copy an invite's token, or its dashboard link. The token itself never goes
    /// to the status line or the log: it lets whoever holds it become an admin.
    pub(crate) fn copy_invite(&mut self, invite: &Invite, action: Action, cmds: &mut Vec<Command>) {
        let (text, what) = if action == Action::CopyToken {
            (invite.token.clone(), "the invite token")
        } else {
            match self.invite_link(&invite.token) {
                Some(link) => (link, "the invite link"),
                None => {
                    self.error("no admin URL: set MEDUSA_ADMIN_URL to the dashboard's address");
                    return;
                }
            }
        };
        self.info(format!(
            "copied {what} for {} to the clipboard",
            invite.email
        ));
        cmds.push(Command::Copy { text });
    }

    /// The new-invite form's request, or `None` (with the errors shown) when it is not valid.
    pub(crate) fn invite_request(form: &mut Form) -> Option<(Purpose, ApiRequest)> {
        let body: CreateInvite = forms::validate_invite(form)?;
        Some((Purpose::CreateInvite, ApiRequest::CreateInvite(body)))
    }
}
