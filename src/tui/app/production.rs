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

    /// A key in the revoke dialog of a production profile, where the name is typed.
    pub(crate) fn on_production_revoke_key(
        &mut self,
        key: KeyEvent,
        cmds: &mut Vec<super::Command>,
    ) {
        let wanted = self.production_name().unwrap_or_default();
        let Some(super::Modal::Revoke {
            typed_name: Some(input),
            error,
            ..
        }) = self.modals.last_mut()
        else {
            return;
        };
        match name_key(input, key, &wanted) {
            NameKey::Cancel => {
                self.modals.pop();
            }
            NameKey::Confirm => self.confirm_revoke(cmds),
            NameKey::WrongName => *error = Some(wrong_name(&wanted, "revoke")),
            NameKey::Toggle => {}
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
