//! The delete dialog (`d` on one user): its state ([`DeleteDialog`]), opening it (the server
//! may refuse to delete the signed-in user; where a user's secret API keys outlive them they
//! are looked up, to list and offer to revoke), its keys (on a production profile the
//! profile's name is typed), the request and its replies. The drawing is in `view.rs`.

use tui_input::Input;

use crate::api::{ApiKey, Operation, User};
use crate::tui::app::{ApiRequest, App, Command, ConnState, Modal, Purpose, RequestId};
use crate::tui::keymap::Action;

pub(crate) mod view;

/// "Delete this user?" (`Modal::Delete`).
#[derive(Debug, Clone)]
pub struct DeleteDialog {
    pub user: User,
    pub request: Option<RequestId>,
    pub error: Option<String>,
    /// The secret API keys the user created, where they outlive the user (v2); `None`
    /// while they are being looked up or where there are none to ask about.
    pub keys: Option<Vec<ApiKey>>,
    /// Revoke those keys before deleting (`k` toggles).
    pub revoke_keys: bool,
    /// The step in progress (revoking key 2/3…).
    pub step: Option<String>,
    /// On a production profile: what the operator has typed of its name, which must match
    /// before the delete is sent.
    pub typed_name: Option<Input>,
}

impl DeleteDialog {
    /// `k` (Tab while a production profile's name is typed): revoke the user's keys too, or
    /// not. Only while there are keys to revoke and nothing is under way.
    pub(crate) fn toggle_revoke_keys(&mut self) {
        if self.request.is_none() && self.keys.as_ref().is_some_and(|k| !k.is_empty()) {
            self.revoke_keys = !self.revoke_keys;
        }
    }

    /// The ids of the keys to revoke before the delete (none unless asked for).
    fn keys_to_revoke(&self) -> Vec<String> {
        match &self.keys {
            Some(keys) if self.revoke_keys => keys.iter().map(|k| k.id.clone()).collect(),
            _ => Vec::new(),
        }
    }

    /// The request failed: the dialog stays, with why.
    pub(crate) fn failed(&mut self, message: String) {
        self.request = None;
        self.step = None;
        self.error = Some(message);
    }
}

impl App {
    /// `d`: the delete dialog for the selected user. Where the server refuses to delete the
    /// signed-in user, that is said at once; where a user's secret API keys outlive them,
    /// they are looked up to be listed (and offered for revocation).
    pub(crate) fn open_delete(&mut self, cmds: &mut Vec<Command>) {
        if self.refuse_unless_allowed(Operation::DeleteUser) {
            return;
        }
        let Some(user) = self.list.selected_user().cloned() else {
            return;
        };
        let is_me = self.session.me.as_ref().is_some_and(|me| me.id == user.id);
        if is_me && self.caps().is_some_and(|c| !c.self_delete) {
            self.error(format!(
                "this server does not let you delete yourself ({}); another admin can",
                user.email
            ));
            return;
        }
        let keys_outlive = self.caps().is_some_and(|c| c.secret_keys);
        let by_name = self.production_name().is_some();
        self.push_modal(Modal::Delete(DeleteDialog {
            user: user.clone(),
            request: None,
            error: None,
            keys: None,
            revoke_keys: false,
            step: None,
            typed_name: by_name.then(Input::default),
        }));
        if keys_outlive {
            let id = user.id.clone();
            self.send(Purpose::Keys(id), ApiRequest::KeysCreatedBy(user.id), cmds);
        }
    }

    /// A key in the delete dialog (other than the typing of a production profile's name).
    pub(crate) fn on_delete_key(&mut self, action: Option<Action>, cmds: &mut Vec<Command>) {
        match action {
            Some(Action::Confirm) => self.confirm_delete(cmds),
            Some(Action::ToggleRevokeKeys) => {
                if let Some(Modal::Delete(dialog)) = self.modals.last_mut() {
                    dialog.toggle_revoke_keys();
                }
            }
            Some(Action::Back) => {
                self.modals.pop();
            }
            _ => {}
        }
    }

    pub(crate) fn confirm_delete(&mut self, cmds: &mut Vec<Command>) {
        let Some(Modal::Delete(dialog)) = self.modals.last() else {
            return;
        };
        if dialog.request.is_some() {
            return;
        }
        let user = dialog.user.clone();
        let revoke = dialog.keys_to_revoke();
        let request = if revoke.is_empty() {
            ApiRequest::Delete(user.id.clone())
        } else {
            ApiRequest::DeleteRevokingKeys {
                id: user.id.clone(),
                keys: revoke,
            }
        };
        let id = self.send(Purpose::Delete(user), request, cmds);
        if let Some(modal) = self.modals.last_mut() {
            modal.set_request(Some(id));
        }
    }

    /// The delete dialog open for user `user_id`, if any.
    fn delete_dialog_for(&mut self, user_id: &str) -> Option<&mut DeleteDialog> {
        self.modals.iter_mut().find_map(|m| match m {
            Modal::Delete(dialog) if dialog.user.id == user_id => Some(dialog),
            _ => None,
        })
    }

    /// The secret API keys `user_id` created, looked up for the delete dialog; a failure
    /// leaves an empty list and says why.
    pub(crate) fn on_keys_listed(&mut self, user_id: &str, found: Result<Vec<ApiKey>, String>) {
        let Some(dialog) = self.delete_dialog_for(user_id) else {
            return;
        };
        match found {
            Ok(keys) => dialog.keys = Some(keys),
            Err(message) => {
                dialog.keys = Some(Vec::new());
                dialog.error = Some(format!(
                    "could not list the secret API keys this user created: {message}"
                ));
            }
        }
    }

    /// The user is deleted (and its keys revoked, when asked): say so, and sign out when it
    /// was the signed-in user.
    pub(crate) fn on_deleted(&mut self, id: RequestId, user: User, cmds: &mut Vec<Command>) {
        let revoked = match self.modals.iter().find(|m| m.request() == Some(id)) {
            Some(Modal::Delete(dialog)) => dialog.keys_to_revoke().len(),
            _ => 0,
        };
        self.close_modal_for(id);
        let mut text = format!("deleted {}", user.email);
        if revoked > 0 {
            text.push_str(&format!(
                " and revoked {revoked} secret key{}",
                if revoked == 1 { "" } else { "s" }
            ));
        }
        if self.caps().is_some_and(|c| c.deleted_sessions_stay_valid) {
            text.push_str("; sessions they hold stay valid until they expire (24 h)");
        }
        self.info(text);
        let was_me = self.session.me.as_ref().is_some_and(|me| me.id == user.id);
        if was_me {
            // Medusa keeps a deleted user's JWT working; carrying on as a deleted user would
            // be wrong, so sign out here. The list reloads after the next login (sent now, it
            // would only fail and bury the reason under a generic 401).
            self.session.me = None;
            self.session.state = ConnState::SignedOut;
            self.send(Purpose::SignOut, ApiRequest::SignOut, cmds);
            self.after_login
                .push((Purpose::List, ApiRequest::List(self.list.params()), None));
            self.open_login(Some(
                "you deleted your own user, so you were signed out".into(),
            ));
        } else {
            self.load_list(cmds);
        }
    }
}
