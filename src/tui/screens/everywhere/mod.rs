//! `w`: where does this person have access? The selected user's e-mail is looked up in every
//! store of the config at once (their user, their pending invites), one row a store, a store
//! that cannot answer shown with its reason. Enter moves the console to that store.
//!
//! Here the dialog's state, opening it, its keys and the replies; the drawing is in `view.rs`.

use crate::tui::app::{ApiRequest, App, Command, Modal, Purpose, RequestId, StoreAccess};
use crate::tui::keymap::Action;

pub(crate) mod view;

/// The Everywhere dialog.
#[derive(Debug, Clone)]
pub struct Everywhere {
    pub email: String,
    /// The look-up in flight.
    pub request: Option<RequestId>,
    /// Each store's answer, in the config's order, once they are in.
    pub stores: Option<Vec<StoreAccess>>,
    pub selected: usize,
    pub error: Option<String>,
}

impl App {
    /// Opens the dialog for the selected user and asks every store.
    pub(crate) fn open_everywhere(&mut self, cmds: &mut Vec<Command>) {
        let Some(user) = self.list.selected_user() else {
            self.info("no user selected".to_owned());
            return;
        };
        let selected = self.current_profile_row();
        self.push_modal(Modal::Everywhere(Everywhere {
            email: user.email.clone(),
            request: None,
            stores: None,
            selected,
            error: None,
        }));
        self.ask_everywhere(cmds);
    }

    /// (Re)asks every store about the dialog's e-mail.
    fn ask_everywhere(&mut self, cmds: &mut Vec<Command>) {
        let Some(Modal::Everywhere(dialog)) = self.modals.last() else {
            return;
        };
        if dialog.request.is_some() {
            return;
        }
        let request = ApiRequest::Everywhere {
            email: dialog.email.clone(),
            profiles: self.profiles.iter().map(|p| p.name.clone()).collect(),
        };
        let id = self.send(Purpose::Everywhere, request, cmds);
        if let Some(Modal::Everywhere(dialog)) = self.modals.last_mut() {
            dialog.request = Some(id);
            dialog.error = None;
        }
    }

    /// A key in the dialog.
    pub(crate) fn on_everywhere_action(&mut self, action: Option<Action>, cmds: &mut Vec<Command>) {
        let count = self.profiles.len();
        let Some(Modal::Everywhere(dialog)) = self.modals.last_mut() else {
            return;
        };
        match action {
            Some(Action::Down) => {
                dialog.selected = (dialog.selected + 1).min(count.saturating_sub(1));
            }
            Some(Action::Up) => dialog.selected = dialog.selected.saturating_sub(1),
            Some(Action::Back) => {
                self.modals.pop();
            }
            Some(Action::Refresh) => self.ask_everywhere(cmds),
            Some(Action::Submit) => {
                let Some(name) = self.profiles.get(dialog.selected).map(|p| p.name.clone()) else {
                    return;
                };
                if self
                    .session
                    .profile
                    .as_ref()
                    .is_some_and(|p| p.name == name)
                {
                    self.modals.pop();
                    self.info(format!("already on {name}"));
                } else {
                    self.modals.clear();
                    self.info(format!("switching to {name}…"));
                    cmds.push(Command::SwitchProfile(name));
                }
            }
            _ => {}
        }
    }

    pub(crate) fn on_everywhere(&mut self, id: RequestId, stores: Vec<StoreAccess>) {
        if let Some(Modal::Everywhere(dialog)) = self.modal_for(id) {
            dialog.request = None;
            dialog.stores = Some(stores);
        }
    }

    pub(crate) fn on_everywhere_failed(&mut self, id: RequestId, message: String) {
        match self.modal_for(id) {
            Some(Modal::Everywhere(dialog)) => {
                dialog.request = None;
                dialog.error = Some(message);
            }
            _ => self.error(format!("looking in every store failed: {message}")),
        }
    }
}
