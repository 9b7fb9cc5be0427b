//! Keys into the pure TUI app and the requests out of it, shared by the TUI suites
//! (`tests/tui/`).

#![allow(dead_code)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use medusa_users::tui::app::{ApiRequest, App, Command, Msg};

/// A plain character key.
pub fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// A key without a character (Enter, Tab, arrows…).
pub fn code(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// Ctrl and a character.
pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// Types `text` one key at a time; the commands all the keys gave.
pub fn type_text(app: &mut App, text: &str) -> Vec<Command> {
    let mut all = Vec::new();
    for c in text.chars() {
        all.extend(app.update(key(c)));
    }
    all
}

/// The API requests among `cmds`, with their ids.
pub fn requests(cmds: &[Command]) -> Vec<(u64, ApiRequest)> {
    cmds.iter()
        .filter_map(|c| match c {
            Command::Api(id, r) => Some((*id, r.clone())),
            _ => None,
        })
        .collect()
}

/// The one request among `cmds` (fails if there are more or none).
pub fn only_request(cmds: &[Command]) -> (u64, ApiRequest) {
    let all = requests(cmds);
    assert_eq!(all.len(), 1, "expected one request: {all:?}");
    all.into_iter().next().unwrap()
}

/// The default keymap with the config's `[keys]` overrides `bindings`: (screen, action, keys)
/// as the config file names them, e.g. `("list", "delete", &["x"])`.
pub fn keymap_with(bindings: &[(&str, &str, &[&str])]) -> medusa_users::tui::keymap::Keymap {
    let mut overrides = medusa_users::config::KeyOverrides::new();
    for (screen, action, keys) in bindings {
        overrides
            .entry((*screen).into())
            .or_default()
            .insert((*action).into(), keys.iter().map(|k| (*k).into()).collect());
    }
    medusa_users::tui::keymap::Keymap::with_overrides(&overrides).unwrap()
}
