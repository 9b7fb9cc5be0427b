//! Typing a production profile's name to confirm a change (`confirm_by_name`): the one rule
//! for what each key does there, and for what the footer offers meanwhile, shared by the
//! delete, revoke and bulk dialogs.

use crossterm::event::{Event, KeyCode, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::{BulkKind, BulkState, Command, Modal};

impl super::App {
    /// The profile's name when this is a production profile whose changes want it typed.
    pub(crate) fn production_name(&self) -> Option<String> {
        self.session
            .profile
            .as_ref()
            .filter(|p| p.confirm_by_name)
            .map(|p| p.name.clone())
    }

    /// While the topmost dialog waits for a production profile's name: the keys that work
    /// there (every other key is text), for the footer. `None` when no name is asked for, so
    /// the keymap's keys apply.
    pub(crate) fn typed_name_keys(&self) -> Option<Vec<(&'static str, &'static str)>> {
        match self.modals.last()? {
            Modal::Delete(dialog) if dialog.typed_name.is_some() && dialog.request.is_none() => {
                let mut pairs = vec![("Enter", "delete"), ("Esc", "cancel")];
                if dialog.keys.as_ref().is_some_and(|k| !k.is_empty()) {
                    pairs.push(("Tab", "revoke keys"));
                }
                Some(pairs)
            }
            Modal::Revoke(dialog) if dialog.typed_name.is_some() && dialog.request.is_none() => {
                Some(vec![("Enter", "revoke"), ("Esc", "cancel")])
            }
            Modal::Bulk(bulk) if bulk.typed_name.is_some() && bulk.state == BulkState::Confirm => {
                Some(vec![("Enter", "go"), ("Esc", "cancel")])
            }
            _ => None,
        }
    }

    /// A key (not a Ctrl chord) in a dialog that waits for a production profile's name.
    pub(crate) fn on_production_name_key(&mut self, key: KeyEvent, cmds: &mut Vec<Command>) {
        let wanted = self.production_name().unwrap_or_default();
        let (outcome, confirm): (NameKey, fn(&mut Self, &mut Vec<Command>)) =
            match self.modals.last_mut() {
                Some(Modal::Delete(dialog)) => {
                    let Some(input) = &mut dialog.typed_name else {
                        return;
                    };
                    let outcome = name_key(input, key, &wanted);
                    match outcome {
                        NameKey::Toggle { .. } => dialog.toggle_revoke_keys(),
                        NameKey::WrongName => dialog.error = Some(wrong_name(&wanted, "delete")),
                        NameKey::Edited => dialog.error = None,
                        NameKey::Cancel | NameKey::Confirm => {}
                    }
                    (outcome, Self::confirm_delete)
                }
                Some(Modal::Revoke(dialog)) => {
                    let Some(input) = &mut dialog.typed_name else {
                        return;
                    };
                    let outcome = name_key(input, key, &wanted);
                    match outcome {
                        NameKey::WrongName => dialog.error = Some(wrong_name(&wanted, "revoke")),
                        NameKey::Edited => dialog.error = None,
                        NameKey::Toggle { .. } | NameKey::Cancel | NameKey::Confirm => {}
                    }
                    (outcome, Self::confirm_revoke)
                }
                Some(Modal::Bulk(bulk)) if bulk.state == BulkState::Confirm => {
                    let Some(input) = &mut bulk.typed_name else {
                        return;
                    };
                    let outcome = name_key(input, key, &wanted);
                    match outcome {
                        // The name is text here, so the role moves with Tab.
                        NameKey::Toggle { back } => {
                            if let BulkKind::SetRole(role) = &mut bulk.kind {
                                *role = if back { role.previous() } else { role.next() };
                            }
                        }
                        NameKey::WrongName => bulk.error = Some(wrong_name(&wanted, "go ahead")),
                        NameKey::Edited => bulk.error = None,
                        NameKey::Cancel | NameKey::Confirm => {}
                    }
                    (outcome, Self::start_bulk)
                }
                _ => return,
            };
        match outcome {
            NameKey::Cancel => {
                self.modals.pop();
            }
            NameKey::Confirm => confirm(self, cmds),
            NameKey::WrongName | NameKey::Toggle { .. } | NameKey::Edited => {}
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
    /// Tab (or Shift-Tab, `back`): the dialog's one toggle, since letters are text here.
    Toggle { back: bool },
    /// Any other key edited the name.
    Edited,
}

/// Applies `key` to the typed name; `wanted` is the profile's name.
pub(crate) fn name_key(input: &mut Input, key: KeyEvent, wanted: &str) -> NameKey {
    match key.code {
        KeyCode::Esc => NameKey::Cancel,
        KeyCode::Enter if input.value() == wanted => NameKey::Confirm,
        KeyCode::Enter => NameKey::WrongName,
        KeyCode::Tab => NameKey::Toggle { back: false },
        KeyCode::BackTab => NameKey::Toggle { back: true },
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
