//! The profile switcher (`P`): the stores in the config file, the one in use first selected;
//! Enter moves the console to another. Here opening it and its keys; the drawing is in
//! `view.rs`.

use crate::tui::app::{App, Command, Modal};
use crate::tui::keymap::Action;

pub(crate) mod view;

impl App {
    /// A key in the profile switcher.
    pub(crate) fn on_profiles_action(&mut self, action: Option<Action>, cmds: &mut Vec<Command>) {
        let count = self.profiles.len();
        let Some(Modal::Profiles { selected }) = self.modals.last_mut() else {
            return;
        };
        match action {
            Some(Action::Down) => *selected = (*selected + 1).min(count.saturating_sub(1)),
            Some(Action::Up) => *selected = selected.saturating_sub(1),
            Some(Action::Back) => {
                self.modals.pop();
            }
            Some(Action::Submit) => {
                let Some(entry) = self.profiles.get(*selected) else {
                    return;
                };
                let name = entry.name.clone();
                self.modals.pop();
                if self
                    .session
                    .profile
                    .as_ref()
                    .is_some_and(|p| p.name == name)
                {
                    self.info(format!("already on {name}"));
                } else {
                    self.info(format!("switching to {name}…"));
                    cmds.push(Command::SwitchProfile(name));
                }
            }
            _ => {}
        }
    }

    /// Opens the profile switcher on the profile in use.
    pub(crate) fn open_profiles(&mut self) {
        let selected = self.current_profile_row();
        self.push_modal(Modal::Profiles { selected });
    }

    /// The row of the profile in use among the config's profiles (the first when none is).
    pub(crate) fn current_profile_row(&self) -> usize {
        let current = self.session.profile.as_ref().map(|p| p.name.as_str());
        self.profiles
            .iter()
            .position(|p| Some(p.name.as_str()) == current)
            .unwrap_or(0)
    }
}
