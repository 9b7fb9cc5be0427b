//! Resetting a password (`r` on one user): the dialog ([`ResetDialog`]) offers the ways this
//! server has (e-mail a token, mint one as an admin and show it, or type a token one has),
//! then the form that applies a token. Here the state, keys, requests and their replies; the
//! drawing is in `view.rs`.

use std::path::PathBuf;

use secrecy::{ExposeSecret, SecretString};

use crate::api::User;
use crate::tui::app::{ApiRequest, App, Command, Modal, Purpose, RequestId};
use crate::tui::forms;
use crate::tui::keymap::Action;

pub(crate) mod view;

/// The reset dialog (`Modal::ResetRequest`).
#[derive(Debug, Clone)]
pub struct ResetDialog {
    pub user: User,
    pub request: Option<RequestId>,
    /// A token was e-mailed (`s`).
    pub sent: bool,
    pub error: Option<String>,
    /// The sandbox's outbox file the token was seen in (sandbox only): `f` fills it in.
    pub outbox: Option<PathBuf>,
    /// A token minted here (`m`), shown because the operator asked for it.
    pub minted: Option<SecretString>,
}

impl ResetDialog {
    pub(crate) fn new(user: User) -> Self {
        ResetDialog {
            user,
            request: None,
            sent: false,
            error: None,
            outbox: None,
            minted: None,
        }
    }

    /// The request failed: the dialog stays, with why.
    pub(crate) fn failed(&mut self, message: String) {
        self.request = None;
        self.error = Some(message);
    }
}

impl App {
    /// The topmost dialog when it is the reset dialog with nothing under way.
    fn idle_reset_dialog(&self) -> Option<&ResetDialog> {
        match self.modals.last() {
            Some(Modal::ResetRequest(dialog)) if dialog.request.is_none() => Some(dialog),
            _ => None,
        }
    }

    /// Sends `request` for the reset dialog on top, which shows it working.
    fn send_from_reset_dialog(
        &mut self,
        purpose: Purpose,
        request: ApiRequest,
        cmds: &mut Vec<Command>,
    ) {
        let id = self.send(purpose, request, cmds);
        if let Some(modal) = self.modals.last_mut() {
            modal.set_request(Some(id));
        }
    }

    /// A key in the reset dialog.
    pub(crate) fn on_reset_request_key(&mut self, action: Option<Action>, cmds: &mut Vec<Command>) {
        match action {
            Some(Action::SendToken) => self.send_reset_token(cmds),
            Some(Action::HaveToken) => {
                // A token minted here is the one to use.
                let minted = match self.modals.last() {
                    Some(Modal::ResetRequest(dialog)) => {
                        dialog.minted.as_ref().map(|t| t.expose_secret().to_owned())
                    }
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
        }
    }

    /// `m` in the reset dialog: mint a token as an admin (the operator asked to see it).
    fn mint_token(&mut self, cmds: &mut Vec<Command>) {
        let Some(dialog) = self.idle_reset_dialog() else {
            return;
        };
        let request = ApiRequest::MintResetToken(dialog.user.id.clone());
        self.send_from_reset_dialog(Purpose::MintToken, request, cmds);
    }

    /// `y` / `l` in the reset dialog: copy the minted token, or its dashboard link.
    fn copy_minted(&mut self, action: Action, cmds: &mut Vec<Command>) {
        let Some(Modal::ResetRequest(ResetDialog {
            user,
            minted: Some(token),
            ..
        })) = self.modals.last()
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

    /// `s` in the reset dialog: the server e-mails the user a token.
    fn send_reset_token(&mut self, cmds: &mut Vec<Command>) {
        let Some(dialog) = self.idle_reset_dialog() else {
            return;
        };
        let request = ApiRequest::SendResetToken(dialog.user.email.clone());
        self.send_from_reset_dialog(Purpose::SendToken, request, cmds);
    }

    /// `t` (or a token read from the sandbox's outbox): the reset dialog becomes the form
    /// that applies a token, prefilled with `token` when there is one.
    pub(crate) fn open_reset_apply(&mut self, token: Option<&str>) {
        if let Some(Modal::ResetRequest(dialog)) = self.modals.pop() {
            self.modals.push(Modal::ResetApply {
                user: dialog.user,
                form: forms::reset_apply_form(token),
                request: None,
            });
        }
    }

    /// `f` in the reset dialog, once the sandbox is known to have written a token: read it
    /// back from the outbox.
    fn fill_token(&mut self, cmds: &mut Vec<Command>) {
        let Some(dialog) = self.idle_reset_dialog() else {
            return;
        };
        if dialog.outbox.is_none() {
            return;
        }
        let email = dialog.user.email.clone();
        self.send_from_reset_dialog(Purpose::FillToken, ApiRequest::OutboxToken { email }, cmds);
    }

    /// The reset dialog that sent request `id`, if it is still open.
    fn reset_dialog_for(&mut self, id: RequestId) -> Option<&mut ResetDialog> {
        match self.modal_for(id) {
            Some(Modal::ResetRequest(dialog)) => Some(dialog),
            _ => None,
        }
    }

    /// A token was minted: shown (the operator asked for it), never logged.
    pub(crate) fn on_minted(&mut self, id: RequestId, token: SecretString) {
        if let Some(dialog) = self.reset_dialog_for(id) {
            dialog.request = None;
            dialog.error = None;
            dialog.minted = Some(token);
        }
    }

    /// The server took the request to e-mail a token; on the sandbox, `outbox` is the file it
    /// was written to.
    pub(crate) fn on_token_sent(&mut self, id: RequestId, outbox: Option<PathBuf>) {
        if let Some(dialog) = self.reset_dialog_for(id) {
            dialog.request = None;
            dialog.sent = true;
            dialog.error = None;
            dialog.outbox = outbox;
        }
    }

    /// The sandbox's outbox read back (`f`): the token fills the form that applies it, or the
    /// dialog says there is none yet.
    pub(crate) fn on_outbox_token(&mut self, id: RequestId, token: Option<SecretString>) {
        let Some(dialog) = self.reset_dialog_for(id) else {
            return;
        };
        dialog.request = None;
        match token {
            Some(token) => {
                if matches!(self.modals.last(), Some(Modal::ResetRequest(_))) {
                    self.open_reset_apply(Some(token.expose_secret()));
                }
            }
            None => {
                dialog.error = Some(format!(
                    "no reset token for {} in {} yet",
                    dialog.user.email,
                    dialog
                        .outbox
                        .as_ref()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default()
                ));
            }
        }
    }

    /// A token was applied: the password changed (`user` where the server answers with it).
    pub(crate) fn on_password_changed(&mut self, id: RequestId, user: Option<User>) {
        self.close_modal_for(id);
        match user {
            Some(user) => self.info(format!(
                "password changed for {}; older reset tokens are void",
                user.email
            )),
            None => self.info("password changed; older reset tokens are void".to_owned()),
        }
    }
}
