//! Resetting a password (`r` on one user): the dialog offers the ways this server has (e-mail
//! a token, mint one as an admin and show it, or type a token one has), then the form that
//! applies a token. Here the keys and requests; their replies are answered in
//! `app/replies.rs`; the drawing is in `view.rs`.

use secrecy::ExposeSecret;

use crate::tui::app::{ApiRequest, App, Command, Modal, Purpose};
use crate::tui::forms;
use crate::tui::keymap::Action;

pub(crate) mod view;

impl App {
    /// `m` in the reset dialog: mint a token as an admin (the operator asked to see it).
    pub(crate) fn mint_token(&mut self, cmds: &mut Vec<Command>) {
        let Some(Modal::ResetRequest {
            user,
            request: None,
            ..
        }) = self.modals.last()
        else {
            return;
        };
        let user_id = user.id.clone();
        let id = self.send(
            Purpose::MintToken,
            ApiRequest::MintResetToken(user_id),
            cmds,
        );
        if let Some(modal) = self.modals.last_mut() {
            modal.set_request(Some(id));
        }
    }

    /// `y` / `l` in the reset dialog: copy the minted token, or its dashboard link.
    pub(crate) fn copy_minted(&mut self, action: Action, cmds: &mut Vec<Command>) {
        let Some(Modal::ResetRequest {
            user,
            minted: Some(token),
            ..
        }) = self.modals.last()
        else {
            return;
        };
        let (text, what) = if action == Action::CopyToken {
            (token.expose_secret().to_owned(), "the reset token")
        } else {
            match self.reset_link(&user.email, token.expose_secret()) {
                Some(link) => (link, "the reset link"),
                None => {
                    self.error("no admin URL: set MEDUSA_ADMIN_URL to the dashboard's address");
                    return;
                }
            }
        };
        // The token itself never goes to the status line or the log.
        self.info(format!("copied {what} to the clipboard"));
        cmds.push(Command::Copy { text });
    }

    /// The dashboard's reset page for a minted token, when an admin URL is known.
    pub fn reset_link(&self, email: &str, token: &str) -> Option<String> {
        Some(crate::api::reset_link(self.admin_url.as_ref()?, token, email).to_string())
    }

    pub(crate) fn send_reset_token(&mut self, cmds: &mut Vec<Command>) {
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

    /// `t` (or a token read from the sandbox's outbox): the reset dialog becomes the form
    /// that applies a token, prefilled with `token` when there is one.
    pub(crate) fn open_reset_apply(&mut self, token: Option<&str>) {
        if let Some(Modal::ResetRequest { user, .. }) = self.modals.pop() {
            self.modals.push(Modal::ResetApply {
                user,
                form: forms::reset_apply_form(token),
                request: None,
            });
        }
    }

    /// `f` in the reset dialog, once the sandbox is known to have written a token: read it
    /// back from the outbox.
    pub(crate) fn fill_token(&mut self, cmds: &mut Vec<Command>) {
        let Some(Modal::ResetRequest {
            user,
            request: None,
            outbox: Some(_),
            ..
        }) = self.modals.last()
        else {
            return;
        };
        let email = user.email.clone();
        let id = self.send(Purpose::FillToken, ApiRequest::OutboxToken { email }, cmds);
        if let Some(modal) = self.modals.last_mut() {
            modal.set_request(Some(id));
        }
    }
}
