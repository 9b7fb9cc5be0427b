//! The keys of every form (create and edit a user, invite someone, a new password from a reset
//! token, log in): moving between fields, editing, revealing a secret, picking a role,
//! submitting the request, and leaving (asking first when something was typed). Each form
//! is drawn by its screen with `ui::widgets::render_form`.

use crossterm::event::{Event, KeyEvent};
use secrecy::SecretString;

use crate::tui::app::{ApiRequest, App, Command, ConnState, Modal, Purpose};
use crate::tui::forms;
use crate::tui::keymap::Action;

impl App {
    pub(crate) fn on_form_key(
        &mut self,
        key: KeyEvent,
        action: Option<Action>,
        cmds: &mut Vec<Command>,
    ) {
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
                | Modal::InviteCreate { form, .. }
                | Modal::ResetApply { form, .. },
            ) if form.is_dirty() => {
                self.modals.push(Modal::Discard { quit: false });
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
                    Purpose::Update(user.clone()),
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
                match forms::validate_reset(form, &user.email, self.session.caps.as_ref()) {
                    Some(body) => (Purpose::ApplyReset, ApiRequest::ResetPassword(body)),
                    None => {
                        form.focus_first_error();
                        return;
                    }
                }
            }
            Modal::InviteCreate { form, .. } => match App::invite_request(form) {
                Some(pair) => pair,
                None => {
                    form.focus_first_error();
                    return;
                }
            },
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
}
