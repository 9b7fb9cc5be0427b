//! The Invites tab: its list (one page at a time, like the users), the keys that act on an
//! invite (create, resend, revoke, copy its token or link) and the replies to those requests.
//! Kept apart from the user list so neither grows into the other.

use super::*;
use crate::api::{
    CreateInvite, Invite, InviteListParams, InviteOrder, InviteOrderField, InvitePage,
};

/// Which list the body shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Users,
    Invites,
}

/// The invite list: one page, plus the query that produced it. On v1 the client filters and
/// pages the whole list itself (`server_paged: false` on the page); the app does not care.
#[derive(Debug, Clone, Default)]
pub struct InviteList {
    pub page: Option<InvitePage>,
    pub selected: usize,
    pub offset: u64,
    pub page_size: u32,
    pub q: String,
    /// Newest first unless `o`/`O` changed it.
    pub order: InviteOrder,
    pub request: Option<RequestId>,
    /// Select the last row when the page being loaded arrives (paging up).
    land_last: bool,
    /// Invites marked for a bulk resend or revoke, in the order marked; marks survive paging.
    pub marked: Vec<Invite>,
    /// Select this row when the page being loaded arrives (the same invite's place after a
    /// resize changed the page size); until then the selection stays on the page shown.
    land_row: Option<usize>,
}

impl InviteList {
    pub(super) fn params(&self) -> InviteListParams {
        InviteListParams {
            limit: Some(self.page_size),
            offset: Some(self.offset),
            q: (!self.q.is_empty()).then(|| self.q.clone()),
            email: None,
            order: Some(self.order),
        }
    }

    pub fn invites(&self) -> &[Invite] {
        self.page
            .as_ref()
            .map(|p| p.invites.as_slice())
            .unwrap_or(&[])
    }

    pub fn selected_invite(&self) -> Option<&Invite> {
        self.invites().get(self.selected)
    }

    pub fn count(&self) -> u64 {
        self.page.as_ref().map_or(0, |p| p.count)
    }

    pub fn is_loading(&self) -> bool {
        self.request.is_some()
    }

    pub fn page_total(&self) -> u64 {
        self.count()
            .div_ceil(u64::from(self.page_size.max(1)))
            .max(1)
    }

    /// `1–5 of 12 · page 1/3`, like the user list.
    pub fn summary(&self) -> String {
        let Some(page) = &self.page else {
            return if self.is_loading() { "loading…" } else { "" }.to_owned();
        };
        if page.count == 0 {
            return if self.q.is_empty() {
                "no pending invites"
            } else {
                "no invites match"
            }
            .to_owned();
        }
        // Saturating: the numbers come from the server and must not panic the renderer.
        let shown = page.invites.len() as u64;
        let first = if shown == 0 {
            page.offset
        } else {
            page.offset.saturating_add(1)
        };
        let size = u64::from(self.page_size.max(1));
        format!(
            "{first}–{} of {} · page {}/{}",
            page.offset.saturating_add(shown),
            page.count,
            page.offset / size + 1,
            page.count.div_ceil(size).max(1)
        )
    }
}

impl App {
    /// The dashboard's page that accepts an invite, when an admin URL is known:
    /// `<admin>/invite?token=…` (Medusa's admin route for invites).
    pub fn invite_link(&self, token: &str) -> Option<String> {
        Some(crate::api::invite_link(self.admin_url.as_ref()?, token).to_string())
    }

    /// Switches the body to `tab` and loads it afresh: an invite accepted elsewhere shows as
    /// a new user on Users and as gone on Invites.
    pub(super) fn switch_tab(&mut self, tab: Tab, cmds: &mut Vec<Command>) {
        if self.tab == tab {
            return;
        }
        self.tab = tab;
        self.search = None;
        self.goto = None;
        // Users may have come (an invite accepted) or gone meanwhile.
        self.drop_cache(cmds);
        match tab {
            Tab::Users => self.load_list(cmds),
            Tab::Invites => self.load_invites(cmds),
        }
    }

    pub(super) fn load_invites(&mut self, cmds: &mut Vec<Command>) {
        if let Some(old) = self.invites.request.take() {
            self.pending.remove(&old);
            cmds.push(Command::Cancel(old));
        }
        self.invites.page_size = self.wanted_page_size();
        let id = self.send(
            Purpose::Invites,
            ApiRequest::ListInvites(self.invites.params()),
            cmds,
        );
        self.invites.request = Some(id);
    }

    pub(super) fn reload_invites_from_start(&mut self, cmds: &mut Vec<Command>) {
        self.invites.offset = 0;
        self.invites.selected = 0;
        self.invites.land_last = false;
        self.invites.land_row = None;
        self.load_invites(cmds);
    }

    /// The window shows another number of rows: the page that holds the selected invite is
    /// loaded at the new size.
    pub(super) fn repage_invites(&mut self, cmds: &mut Vec<Command>) {
        // While a repaged page is on its way, its row is where the selection is going.
        let row = self.invites.land_row.unwrap_or(self.invites.selected);
        let position = self.invites.offset.saturating_add(row as u64);
        let size = u64::from(self.wanted_page_size().max(1));
        self.invites.offset = position / size * size;
        self.invites.land_row = Some((position - self.invites.offset) as usize);
        self.load_invites(cmds);
    }

    pub(super) fn select_invite(&mut self, row: usize) {
        if row != self.invites.selected {
            self.reveal_invite = false;
        }
        self.invites.selected = row;
    }

    fn load_invite_page(&mut self, offset: u64, last: bool, cmds: &mut Vec<Command>) {
        self.invites.offset = offset;
        self.invites.land_last = last;
        self.invites.land_row = None;
        self.invites.selected = 0;
        self.reveal_invite = false;
        self.load_invites(cmds);
    }

    pub(super) fn on_invites_action(&mut self, action: Action, cmds: &mut Vec<Command>) {
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
            Action::Delete => {
                if self.refuse_unless_allowed(Operation::RevokeInvite) {
                    return;
                }
                if let Some(invite) = self.invites.selected_invite().cloned() {
                    self.push_modal(Modal::Revoke {
                        invite,
                        request: None,
                        error: None,
                    });
                }
            }
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
            Action::Help => self.push_modal(Modal::Help {
                scroll: 0,
                filter: Input::default(),
                editing: false,
            }),
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
    pub(super) fn copy_invite(&mut self, invite: &Invite, action: Action, cmds: &mut Vec<Command>) {
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

    /// `y` in the revoke dialog.
    pub(super) fn confirm_revoke(&mut self, cmds: &mut Vec<Command>) {
        let Some(Modal::Revoke {
            invite,
            request: None,
            ..
        }) = self.modals.last()
        else {
            return;
        };
        let invite = invite.clone();
        let request = ApiRequest::RevokeInvite(invite.id.clone());
        let id = self.send(Purpose::RevokeInvite(invite), request, cmds);
        if let Some(modal) = self.modals.last_mut() {
            modal.set_request(Some(id));
        }
    }

    /// The new-invite form's request, or `None` (with the errors shown) when it is not valid.
    pub(super) fn invite_request(form: &mut Form) -> Option<(Purpose, ApiRequest)> {
        let body: CreateInvite = forms::validate_invite(form)?;
        Some((Purpose::CreateInvite, ApiRequest::CreateInvite(body)))
    }

    /// Replies to the Invites tab's requests.
    pub(super) fn on_invite_success(
        &mut self,
        id: RequestId,
        purpose: Purpose,
        reply: ApiReply,
        cmds: &mut Vec<Command>,
    ) {
        match (purpose, reply) {
            (Purpose::Invites, ApiReply::Invites(page)) => {
                self.invites.request = None;
                let past_end = page.invites.is_empty() && page.count > 0 && page.offset > 0;
                self.invites.page = Some(page);
                if past_end {
                    // Invites were accepted or revoked under us: go to the last page left.
                    let size = u64::from(self.invites.page_size.max(1));
                    let last = self.invites.count().saturating_sub(1) / size * size;
                    self.load_invite_page(last, true, cmds);
                    return;
                }
                let rows = self.invites.invites().len();
                let land_row = self.invites.land_row.take();
                let row = if std::mem::take(&mut self.invites.land_last) {
                    rows.saturating_sub(1)
                } else {
                    land_row
                        .unwrap_or(self.invites.selected)
                        .min(rows.saturating_sub(1))
                };
                self.select_invite(row);
                // The detail screen of an invite that is gone has nothing left to show.
                if rows == 0 && matches!(self.modals.last(), Some(Modal::InviteDetail)) {
                    self.modals.pop();
                }
            }
            (Purpose::CreateInvite, ApiReply::Invite(invite)) => {
                self.close_modal_for(id);
                match invite.role {
                    Some(role) => self.info(format!("invited {} ({role})", invite.email)),
                    None => self.info(format!("invited {}", invite.email)),
                }
                // The operator asked for the token: it is shown in its own dialog only.
                self.modals.push(Modal::InviteToken {
                    invite,
                    resent: false,
                });
                // Newest first on both servers: the new invite is on the first page.
                if self.tab == Tab::Invites {
                    self.reload_invites_from_start(cmds);
                }
            }
            (Purpose::ResendInvite, ApiReply::Invite(invite)) => {
                let old = if self
                    .caps()
                    .is_some_and(|c| c.invites.resend_voids_old_tokens)
                {
                    "the old token no longer works"
                } else {
                    "older tokens keep working until it is accepted, revoked or expires"
                };
                self.info(format!("resent the invite to {}; {old}", invite.email));
                self.modals.push(Modal::InviteToken {
                    invite,
                    resent: true,
                });
                if self.tab == Tab::Invites {
                    self.load_invites(cmds);
                }
            }
            (Purpose::RevokeInvite(invite), ApiReply::Deleted(_)) => {
                self.close_modal_for(id);
                if matches!(self.modals.last(), Some(Modal::InviteDetail)) {
                    self.modals.pop();
                }
                self.info(format!(
                    "revoked the invite for {}; its token no longer works",
                    invite.email
                ));
                self.load_invites(cmds);
            }
            (purpose, reply) => {
                tracing::warn!("unexpected reply {reply:?} for {purpose:?}");
            }
        }
    }
}
