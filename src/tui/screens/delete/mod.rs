//! The delete dialog (`d` on one user): opening it (the server may refuse to delete the
//! signed-in user; where a user's secret API keys outlive them they are looked up, to list and
//! offer to revoke), its keys (on a production profile the profile's name is typed) and the
//! request. Its replies are answered in `app/replies.rs`; the drawing is in `view.rs`.

use tui_input::Input;

use crate::api::Operation;
use crate::tui::app::{ApiRequest, App, Command, Modal, Purpose};

pub(crate) mod view;

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
        self.push_modal(Modal::Delete {
            user: user.clone(),
            request: None,
            error: None,
            keys: None,
            revoke_keys: false,
            step: None,
            typed_name: by_name.then(Input::default),
        });
        if keys_outlive {
            let id = user.id.clone();
            self.send(Purpose::Keys(id), ApiRequest::KeysCreatedBy(user.id), cmds);
        }
    }

    pub(crate) fn confirm_delete(&mut self, cmds: &mut Vec<Command>) {
        let Some(Modal::Delete {
            user,
            request: None,
            keys,
            revoke_keys,
            ..
        }) = self.modals.last()
        else {
            return;
        };
        let user = user.clone();
        let revoke: Vec<String> = match keys {
            Some(keys) if *revoke_keys => keys.iter().map(|k| k.id.clone()).collect(),
            _ => Vec::new(),
        };
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
}
