//! The config's `[keys.CONTEXT]` sections: `ACTION = ["KEY", …]` replaces the keys of that
//! action in that context, every other binding keeps its defaults. Names are the help's, in
//! kebab case: contexts `list`, `invites`, `delete`, `form`, `global`, …; actions `delete`,
//! `copy-email`, `next-page`, …; keys as the help writes them (`d`, `Space`, `Enter`, `PgDn`,
//! `Ctrl-D`, `F5`, `Shift-Tab`, `↓` or `Down`). An unknown name, a key that cannot be read, or
//! a key bound to two actions in one context is an error at start, naming the section.

use crossterm::event::{KeyCode, KeyModifiers};

use super::{Action, Context, Key, Keymap};

pub use crate::config::KeyOverrides;

/// `CopyEmail` → `copy-email`.
fn kebab(debug: &str) -> String {
    let mut out = String::new();
    for (i, c) in debug.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

pub fn context_name(context: Context) -> String {
    kebab(&format!("{context:?}"))
}

pub fn action_name(action: Action) -> String {
    kebab(&format!("{action:?}"))
}

/// Reads a key as the help writes it (case-insensitive names, `Ctrl-` or `C-` for Control),
/// or a sequence of two, `g g`, whose first key is a plain character.
pub fn parse_key(raw: &str) -> Result<Key, String> {
    let parts: Vec<&str> = raw.split_whitespace().collect();
    match parts[..] {
        [one] => parse_one(raw, one),
        [first, then] => match parse_one(raw, first)? {
            Key {
                code: KeyCode::Char(c),
                modifiers: KeyModifiers::NONE,
                prefix: None,
            } if c != ' ' => Ok(Key::sequence(c, parse_one(raw, then)?)),
            _ => Err(format!(
                "{raw:?}: a sequence starts with a plain character, such as \"g g\""
            )),
        },
        _ => Err(format!(
            "{raw:?} is not a key: one key, or a sequence of two such as \"g g\""
        )),
    }
}

fn parse_one(raw: &str, text: &str) -> Result<Key, String> {
    let (modifiers, rest) = match strip_prefix_ci(text, "ctrl-")
        .or_else(|| strip_prefix_ci(text, "ctrl+"))
        .or_else(|| strip_prefix_ci(text, "c-"))
    {
        Some(rest) => (KeyModifiers::CONTROL, rest),
        None => (KeyModifiers::NONE, text),
    };
    let rest_lower = rest.to_ascii_lowercase();
    let code = match rest_lower.as_str() {
        "space" => KeyCode::Char(' '),
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "shift-tab" | "backtab" => KeyCode::BackTab,
        "up" | "↑" => KeyCode::Up,
        "down" | "↓" => KeyCode::Down,
        "left" | "←" => KeyCode::Left,
        "right" | "→" => KeyCode::Right,
        "pgup" | "pageup" => KeyCode::PageUp,
        "pgdn" | "pagedown" => KeyCode::PageDown,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "backspace" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "insert" | "ins" => KeyCode::Insert,
        f if f.len() > 1
            && f.starts_with('f')
            && f[1..].parse::<u8>().is_ok_and(|n| (1..=24).contains(&n)) =>
        {
            KeyCode::F(f[1..].parse().unwrap_or(1))
        }
        _ => {
            let mut chars = rest.chars();
            match (chars.next(), chars.next()) {
                // Control chords are lower-case letters, as terminals send them.
                (Some(c), None) if modifiers == KeyModifiers::CONTROL => {
                    KeyCode::Char(c.to_ascii_lowercase())
                }
                (Some(c), None) => KeyCode::Char(c),
                _ => {
                    return Err(format!(
                        "{raw:?} is not a key (a character, Space, Enter, Esc, Tab, Shift-Tab, \
                         arrows, PgUp, PgDn, Home, End, Backspace, Delete, F1–F24, with Ctrl- \
                         for Control)"
                    ));
                }
            }
        }
    };
    Ok(Key {
        code,
        modifiers,
        prefix: None,
    })
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    text.get(..prefix.len())
        .filter(|head| head.eq_ignore_ascii_case(prefix))
        .and_then(|_| text.get(prefix.len()..))
}

impl Keymap {
    /// The default keymap with the config's overrides merged in, checked for conflicts.
    pub fn with_overrides(overrides: &KeyOverrides) -> Result<Keymap, String> {
        let mut keymap = Keymap::default();
        for (context_key, actions) in overrides {
            let context = Context::ALL
                .into_iter()
                .find(|c| context_name(*c) == *context_key)
                .ok_or_else(|| {
                    let names: Vec<String> = Context::ALL.into_iter().map(context_name).collect();
                    format!(
                        "[keys.{context_key}]: no such screen; one of {}",
                        names.join(", ")
                    )
                })?;
            for (action_key, keys) in actions {
                let binding = keymap
                    .bindings
                    .iter_mut()
                    .find(|b| b.context == context && action_name(b.action) == *action_key)
                    .ok_or_else(|| {
                        format!(
                            "[keys.{context_key}] {action_key}: no such action there; the help \
                             (?) lists them: {}",
                            Keymap::default()
                                .bindings
                                .iter()
                                .filter(|b| b.context == context)
                                .map(|b| action_name(b.action))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    })?;
                if keys.is_empty() {
                    return Err(format!(
                        "[keys.{context_key}] {action_key}: give at least one key"
                    ));
                }
                binding.keys = keys
                    .iter()
                    .map(|k| parse_key(k))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| format!("[keys.{context_key}] {action_key}: {e}"))?;
            }
        }
        keymap.check_conflicts()?;
        Ok(keymap)
    }

    /// A key bound to two actions in one context would make one of them unreachable.
    pub fn check_conflicts(&self) -> Result<(), String> {
        for context in Context::ALL {
            let bindings: Vec<_> = self
                .bindings
                .iter()
                .filter(|b| b.context == context)
                .collect();
            for b in &bindings {
                if let Some(key) = b.keys.iter().find(|k| k.prefix.is_some())
                    && context.takes_text()
                {
                    return Err(format!(
                        "[keys.{}] {}: {} is a sequence, but keys typed here are text; \
                         sequences work where nothing is typed",
                        context_name(context),
                        action_name(b.action),
                        key.label()
                    ));
                }
            }
            for a in &bindings {
                for b in &bindings {
                    // A key that is also a sequence's first key would make the sequence
                    // unreachable (or the key wait for a second one).
                    let single = a.keys.iter().find(|k| {
                        k.prefix.is_none()
                            && k.modifiers == KeyModifiers::NONE
                            && b.keys.iter().any(|s| {
                                s.prefix.is_some_and(|first| k.code == KeyCode::Char(first))
                            })
                    });
                    if let Some(key) = single {
                        return Err(format!(
                            "[keys.{}]: {} is bound to {} and also starts a sequence of {}",
                            context_name(context),
                            key.label(),
                            action_name(a.action),
                            action_name(b.action)
                        ));
                    }
                }
            }
            for (i, a) in bindings.iter().enumerate() {
                for b in &bindings[i + 1..] {
                    if let Some(key) = a.keys.iter().find(|k| b.keys.contains(k)) {
                        return Err(format!(
                            "[keys.{}]: {} is bound to both {} and {}",
                            context_name(context),
                            key.label(),
                            action_name(a.action),
                            action_name(b.action)
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_as_the_help_writes_them() {
        assert_eq!(parse_key("d"), Ok(Key::ch('d')));
        assert_eq!(parse_key("Ctrl-D"), Ok(Key::ctrl('d')));
        assert_eq!(parse_key("c-x"), Ok(Key::ctrl('x')));
        assert_eq!(parse_key("Space"), Ok(Key::ch(' ')));
        assert_eq!(parse_key("PgDn"), Ok(Key::plain(KeyCode::PageDown)));
        assert_eq!(parse_key("↓"), Ok(Key::plain(KeyCode::Down)));
        assert_eq!(parse_key("F5"), Ok(Key::plain(KeyCode::F(5))));
        assert_eq!(parse_key("Shift-Tab"), Ok(Key::plain(KeyCode::BackTab)));
        assert!(parse_key("dd").is_err());
        assert_eq!(parse_key("g g"), Ok(Key::sequence('g', Key::ch('g'))));
        assert_eq!(
            parse_key("z Ctrl-D"),
            Ok(Key::sequence('z', Key::ctrl('d')))
        );
        assert_eq!(parse_key("g g").map(|k| k.label()), Ok("g g".to_owned()));
        assert!(parse_key("Ctrl-G g").is_err());
        assert!(parse_key("g g g").is_err());
        assert!(parse_key("Ctrl-").is_err());
        // Every key the default keymap uses reads back from its own label.
        for b in &Keymap::default().bindings {
            for k in &b.keys {
                assert_eq!(parse_key(&k.label()).as_ref(), Ok(k), "{}", k.label());
            }
        }
    }

    #[test]
    fn overrides_replace_one_actions_keys_and_conflicts_are_refused() {
        let mut o = KeyOverrides::new();
        o.entry("list".into())
            .or_default()
            .insert("delete".into(), vec!["x".into(), "Delete".into()]);
        let km = Keymap::with_overrides(&o).unwrap();
        assert_eq!(
            km.key_for(Context::List, Action::Delete).as_deref(),
            Some("x")
        );
        assert_eq!(
            km.key_for(Context::List, Action::Edit).as_deref(),
            Some("e"),
            "others keep theirs"
        );

        o.entry("list".into())
            .or_default()
            .insert("delete".into(), vec!["e".into()]);
        let e = Keymap::with_overrides(&o).unwrap_err();
        assert!(e.contains("[keys.list]: e is bound to both"), "{e}");

        let mut bad = KeyOverrides::new();
        bad.entry("lists".into()).or_default();
        assert!(
            Keymap::with_overrides(&bad)
                .unwrap_err()
                .contains("no such screen")
        );
        let mut bad = KeyOverrides::new();
        bad.entry("list".into())
            .or_default()
            .insert("explode".into(), vec!["x".into()]);
        assert!(
            Keymap::with_overrides(&bad)
                .unwrap_err()
                .contains("explode: no such action")
        );
    }

    #[test]
    fn sequences_need_their_first_key_free_and_no_text_screens() {
        let mut o = KeyOverrides::new();
        o.entry("list".into())
            .or_default()
            .insert("first".into(), vec!["g g".into(), "Home".into()]);
        let km = Keymap::with_overrides(&o).unwrap();
        assert_eq!(
            km.key_for(Context::List, Action::First).as_deref(),
            Some("g g")
        );
        // `G` stays `last`; a `g` of its own would shadow `g g`.
        o.entry("list".into())
            .or_default()
            .insert("refresh".into(), vec!["g".into()]);
        let e = Keymap::with_overrides(&o).unwrap_err();
        assert!(
            e.contains("g is bound to refresh and also starts a sequence of first"),
            "{e}"
        );
        let mut o = KeyOverrides::new();
        o.entry("search".into())
            .or_default()
            .insert("back".into(), vec!["j k".into()]);
        let e = Keymap::with_overrides(&o).unwrap_err();
        assert!(e.contains("keys typed here are text"), "{e}");
    }

    #[test]
    fn the_default_keymap_has_no_conflicts() {
        assert_eq!(Keymap::default().check_conflicts(), Ok(()));
    }
}
