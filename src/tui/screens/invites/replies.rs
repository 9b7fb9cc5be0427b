//! Replies to the Invites tab's requests: a page of invites, a new invite, a resent one, a
//! revoked one.

use crate::tui::app::{ApiReply, App, Command, Modal, Purpose, RequestId, Tab};

impl App {
    /// Replies to the Invites tab's requests.
    pub(crate) fn on_invite_success(
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
                self.on_revoked(id, &invite, cmds);
            }
            (purpose, reply) => {
                tracing::warn!("unexpected reply {reply:?} for {purpose:?}");
            }
        }
    }
}
