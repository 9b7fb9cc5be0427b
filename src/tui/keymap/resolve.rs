//! Looking keys up in the table: a key press (after the first key of a sequence, if one was
//! pressed) to its action in the context with the focus, and the table read back as footer
//! hints, help rows and key names for prose.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{Action, Binding, Context, Key, Keymap, Offer};

/// What a key press comes to, given the character pressed before it (if that started a
/// sequence).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved {
    Action(Action),
    /// The first key of a sequence: wait for the next one.
    Pending(char),
    Nothing,
}

impl Keymap {
    /// The action a key event has in a context, if any: the context's own binding, else a
    /// global one; only bindings that `offer` allows count.
    /// A key press after `pending` (the first key of a sequence, if one was pressed): the
    /// sequence's action; otherwise the key on its own (a sequence that does not complete is
    /// dropped, as in vim), or the start of a sequence.
    pub fn resolve(
        &self,
        context: Context,
        pending: Option<char>,
        event: &KeyEvent,
        offer: &Offer,
    ) -> Resolved {
        let offer = Offer {
            read_only: false,
            ..*offer
        };
        if let Some(first) = pending {
            let find = |context| {
                self.for_context(context, &offer)
                    .find(|b| b.keys.iter().any(|k| k.matches_after(Some(first), event)))
                    .map(|b| b.action)
            };
            if let Some(action) = find(context).or_else(|| find(Context::Global)) {
                return Resolved::Action(action);
            }
        }
        if let Some(action) = self.action(context, event, &offer) {
            return Resolved::Action(action);
        }
        let starts_sequence = |context| {
            self.for_context(context, &offer).any(|b| {
                b.keys.iter().any(|k| {
                    k.prefix.is_some_and(|first| {
                        event.code == KeyCode::Char(first)
                            && (event.modifiers - KeyModifiers::SHIFT).is_empty()
                    })
                })
            })
        };
        match event.code {
            // Where keys are text, a character is text, never the start of a sequence.
            KeyCode::Char(c)
                if !context.takes_text()
                    && (starts_sequence(context) || starts_sequence(Context::Global)) =>
            {
                Resolved::Pending(c)
            }
            _ => Resolved::Nothing,
        }
    }

    pub fn action(&self, context: Context, event: &KeyEvent, offer: &Offer) -> Option<Action> {
        // A mutating key still reaches the app in read-only mode (not shown, but pressed from
        // habit), so the app can say why nothing happens.
        let offer = Offer {
            read_only: false,
            ..*offer
        };
        let find = |context| {
            self.for_context(context, &offer)
                .find(|b| b.keys.iter().any(|k| k.matches(event)))
                .map(|b| b.action)
        };
        find(context).or_else(|| find(Context::Global))
    }

    /// The bindings of one context that `offer` allows, in table order.
    pub fn for_context<'a>(
        &'a self,
        context: Context,
        offer: &'a Offer,
    ) -> impl Iterator<Item = &'a Binding> {
        self.bindings
            .iter()
            .filter(move |b| b.context == context && (offer.everything || offer.offers(b)))
    }

    /// The first key of `action` in `context`, for prose that names a key ("press d").
    pub fn key_for(&self, context: Context, action: Action) -> Option<String> {
        self.bindings
            .iter()
            .find(|b| b.context == context && b.action == action)
            .and_then(|b| b.keys.first())
            .map(Key::label)
    }

    /// Every key of `action` in `context`, as labels (a dialog's own text names them).
    pub fn keys_for(&self, context: Context, action: Action) -> Vec<String> {
        self.bindings
            .iter()
            .find(|b| b.context == context && b.action == action)
            .map(|b| b.keys.iter().map(Key::label).collect())
            .unwrap_or_default()
    }

    /// Footer hints for a context: `(key, label, action)`, in table order.
    pub fn hints(&self, context: Context, offer: &Offer) -> Vec<(String, &'static str, Action)> {
        self.for_context(context, offer)
            .filter_map(|b| b.hint.map(|h| (b.keys[0].label(), h, b.action)))
            .collect()
    }

    /// The help's lines: a heading per context, then `keys  what` rows.
    pub fn help_rows(&self, offer: &Offer) -> Vec<(Option<&'static str>, String, &'static str)> {
        let mut rows = Vec::new();
        for context in Context::ALL {
            rows.push((Some(context.title()), String::new(), ""));
            for b in self.for_context(context, offer) {
                let keys: Vec<String> = b.keys.iter().map(Key::label).collect();
                rows.push((None, keys.join(" "), b.help));
            }
        }
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn lookups_respect_context_and_modifiers() {
        let km = Keymap::default();
        assert_eq!(
            km.action(
                Context::List,
                &key(KeyCode::Char('j'), KeyModifiers::NONE),
                &Offer::ALL
            ),
            Some(Action::Down)
        );
        assert_eq!(
            km.action(
                Context::List,
                &key(KeyCode::Char('G'), KeyModifiers::SHIFT),
                &Offer::ALL
            ),
            Some(Action::Last)
        );
        assert_eq!(
            km.action(
                Context::List,
                &key(KeyCode::Char('c'), KeyModifiers::CONTROL),
                &Offer::ALL
            ),
            Some(Action::Quit)
        );
        assert_eq!(
            km.action(
                Context::Form,
                &key(KeyCode::Char('j'), KeyModifiers::NONE),
                &Offer::ALL
            ),
            None,
            "letters are text in a form"
        );
        assert_eq!(
            km.action(
                Context::Form,
                &key(KeyCode::BackTab, KeyModifiers::SHIFT),
                &Offer::ALL
            ),
            Some(Action::PrevField)
        );
        assert_eq!(
            km.action(
                Context::Delete,
                &key(KeyCode::Enter, KeyModifiers::NONE),
                &Offer::ALL
            ),
            None,
            "a stray Enter never deletes"
        );
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        let km = Keymap::default();
        for context in Context::ALL {
            let mut seen = Vec::new();
            for b in km.for_context(context, &Offer::ALL) {
                for k in &b.keys {
                    assert!(!seen.contains(k), "{context:?}: {} bound twice", k.label());
                    seen.push(*k);
                }
            }
        }
    }

    #[test]
    fn every_context_can_quit_and_has_help_rows() {
        let km = Keymap::default();
        for context in Context::ALL.into_iter().filter(|c| *c != Context::Global) {
            assert!(
                km.for_context(context, &Offer::ALL)
                    .any(|b| b.action == Action::Quit),
                "{context:?} has no quit key"
            );
        }
        let rows = km.help_rows(&Offer::ALL);
        assert_eq!(
            rows.iter().filter(|r| r.0.is_some()).count(),
            Context::ALL.len()
        );
        assert!(rows.iter().any(|r| r.1 == "d" && r.2 == "delete user"));
    }

    #[test]
    fn hints_are_short_labels() {
        let km = Keymap::default();
        let hints = km.hints(Context::Form, &Offer::ALL);
        assert!(
            hints.contains(&("Ctrl-S".to_owned(), "save", Action::Submit)),
            "{hints:?}"
        );
        assert!(
            hints.contains(&("Tab".to_owned(), "next field", Action::NextField)),
            "{hints:?}"
        );
        let list: Vec<_> = km
            .hints(Context::List, &Offer::ALL)
            .into_iter()
            .map(|h| h.1)
            .collect();
        assert_eq!(
            list.join(" "),
            "next prev details search sort role new edit delete reset stores mark invites help quit"
        );
    }

    #[test]
    fn global_keys_work_everywhere_but_lose_to_a_context_binding() {
        let km = Keymap::default();
        let ctrl_z = key(KeyCode::Char('z'), KeyModifiers::CONTROL);
        for context in Context::ALL {
            assert_eq!(
                km.action(context, &ctrl_z, &Offer::ALL),
                Some(Action::Suspend),
                "{context:?}"
            );
        }
        let pgdn = key(KeyCode::PageDown, KeyModifiers::NONE);
        assert_eq!(
            km.action(Context::List, &pgdn, &Offer::ALL),
            Some(Action::NextPage)
        );
        assert_eq!(
            km.action(Context::Help, &pgdn, &Offer::ALL),
            Some(Action::NextPage)
        );
        for (c, action) in [
            ('d', Action::HalfPageDown),
            ('u', Action::HalfPageUp),
            ('f', Action::NextPage),
            ('b', Action::PrevPage),
        ] {
            assert_eq!(
                km.action(
                    Context::List,
                    &key(KeyCode::Char(c), KeyModifiers::CONTROL),
                    &Offer::ALL
                ),
                Some(action),
                "Ctrl-{c}"
            );
        }
    }
}
