//! A key as the table holds it: a code and its modifiers, or a two-key sequence (`g g`), with
//! the label the help and the footer show and how a key event is matched against it.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key: code plus modifiers, with a label for hints and help; or a two-key sequence such
/// as `g g` (from the config's `[keys]`), whose first key is a plain character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
    /// The character pressed before this key, for a sequence.
    pub prefix: Option<char>,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Self {
        Key {
            code,
            modifiers: KeyModifiers::NONE,
            prefix: None,
        }
    }

    /// `first` then `then`.
    pub const fn sequence(first: char, then: Key) -> Self {
        Key {
            prefix: Some(first),
            ..then
        }
    }

    pub const fn ch(c: char) -> Self {
        Key::plain(KeyCode::Char(c))
    }

    pub const fn ctrl(c: char) -> Self {
        Key {
            code: KeyCode::Char(c),
            modifiers: KeyModifiers::CONTROL,
            prefix: None,
        }
    }

    /// Whether a key event, after the character `pending` (if any), is this key.
    pub(super) fn matches_after(&self, pending: Option<char>, event: &KeyEvent) -> bool {
        self.prefix == pending && self.matches_event(event)
    }

    /// Whether a key event is this key (a single key: a sequence needs its first key before).
    pub fn matches(&self, event: &KeyEvent) -> bool {
        self.matches_after(None, event)
    }

    /// The event against the key's last part. Shift is ignored for characters, since
    /// terminals report `G` as either `G` or `Shift+G`.
    fn matches_event(&self, event: &KeyEvent) -> bool {
        let mut mods = event.modifiers;
        if matches!(event.code, KeyCode::Char(_)) {
            mods.remove(KeyModifiers::SHIFT);
        }
        if event.code == KeyCode::BackTab {
            mods.remove(KeyModifiers::SHIFT);
        }
        event.code == self.code && mods == self.modifiers
    }

    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_owned(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        let last = if self.modifiers.contains(KeyModifiers::CONTROL) {
            format!("Ctrl-{}", base.to_uppercase())
        } else {
            base
        };
        match self.prefix {
            Some(first) => format!("{} {last}", Key::ch(first).label()),
            None => last,
        }
    }
}
