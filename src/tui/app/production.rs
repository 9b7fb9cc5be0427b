//! Typing a production profile's name to confirm a change (`confirm_by_name`): the one rule
//! for what each key does there, shared by the delete and revoke dialogs.

use crossterm::event::{Event, KeyCode, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

impl super::App {
    /// The profile's name when this is a production profile whose changes want it typed.
    pub(crate) fn production_name(&self) -> Option<String> {
        self.session
            .profile
            .as_ref()
            .filter(|p| p.confirm_by_name)
            .map(|p| p.name.clone())
    }

    /// A key in a delete or revoke dialog of a production profile, where the profile's name
    /// is typed to confirm.
    pub(crate) fn on_production_name_key(&mut self, key: KeyEvent, cmds: &mut Vec<super::Command>) {
        use super::Modal;
        let wanted = self.production_name().unwrap_or_default();
        let (input, error, toggle, verb) = match self.modals.last_mut() {
            Some(Modal::Delete {
                typed_name: Some(input),
                keys,
                revoke_keys,
                error,
                ..
            }) => {
                let has_keys = keys.as_ref().is_some_and(|k| !k.is_empty());
                (input, error, has_keys.then_some(revoke_keys), "delete")
            }
            Some(Modal::Revoke {
                typed_name: Some(input),
                error,
                ..
            }) => (input, error, None, "revoke"),
            _ => return,
        };
        match name_key(input, key, &wanted) {
            NameKey::Cancel => {
                self.modals.pop();
            }
            NameKey::Confirm if verb == "delete" => self.confirm_delete(cmds),
            NameKey::Confirm => self.confirm_revoke(cmds),
            NameKey::WrongName => *error = Some(wrong_name(&wanted, verb)),
            NameKey::Toggle => {
                if let Some(toggle) = toggle {
                    *toggle = !*toggle;
                }
            }
            NameKey::Edited => *error = None,
        }
    }
}

/// What a key did while the name is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameKey {
    /// Esc: close the dialog, nothing done.
    Cancel,
    /// Enter with the name typed exactly.
    Confirm,
    /// Enter with anything else.
    WrongName,
    /// Tab: the dialog's one toggle, since letters are text here.
    Toggle,
    /// Any other key edited the name.
    Edited,
}

/// Applies `key` to the typed name; `wanted` is the profile's name.
pub(crate) fn name_key(input: &mut Input, key: KeyEvent, wanted: &str) -> NameKey {
    match key.code {
        KeyCode::Esc => NameKey::Cancel,
        KeyCode::Enter if input.value() == wanted => NameKey::Confirm,
        KeyCode::Enter => NameKey::WrongName,
        KeyCode::Tab => NameKey::Toggle,
        _ => {
            input.handle_event(&Event::Key(key));
            NameKey::Edited
        }
    }
}

/// The refusal when Enter came with another name.
pub(crate) fn wrong_name(wanted: &str, verb: &str) -> String {
    format!("type the profile's name, {wanted}, exactly, to {verb} on production")
}
