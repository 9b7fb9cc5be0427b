//! Every key binding of the TUI, in one table. Key handling, the footer hints and the help
//! overlay all read this table, so what the help says is what the keys do.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where the keyboard focus is; each context has its own bindings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    List,
    Search,
    Detail,
    Form,
    Delete,
    ResetRequest,
    ResetApply,
    Login,
    Discard,
    Help,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::List => "User list",
            Context::Search => "Search box",
            Context::Detail => "Detail view",
            Context::Form => "Create / edit form",
            Context::Delete => "Delete dialog",
            Context::ResetRequest => "Reset password: send token",
            Context::ResetApply => "Reset password: apply token",
            Context::Login => "Login",
            Context::Discard => "Discard changes?",
            Context::Help => "Help",
        }
    }

    /// The order the help overlay lists contexts in.
    pub const ALL: [Context; 10] = [
        Context::List,
        Context::Search,
        Context::Detail,
        Context::Form,
        Context::Delete,
        Context::ResetRequest,
        Context::ResetApply,
        Context::Login,
        Context::Discard,
        Context::Help,
    ];
}

/// What a key asks for. The update function gives each its meaning in context.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    Help,
    Back,
    Up,
    Down,
    First,
    Last,
    NextPage,
    PrevPage,
    Search,
    SortField,
    SortDirection,
    RoleFilter,
    Refresh,
    Open,
    RevealToken,
    Create,
    Edit,
    Delete,
    ResetPassword,
    CopyEmail,
    CopyId,
    DismissStatus,
    NextField,
    PrevField,
    Submit,
    RoleNext,
    RolePrev,
    RevealSecret,
    Confirm,
    SendToken,
    HaveToken,
    ScrollUp,
    ScrollDown,
    /// Enter in a form: next field, or submit on the last one.
    Advance,
}

/// A key: code plus modifiers, with a label for hints and help.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Self {
        Key {
            code,
            modifiers: KeyModifiers::NONE,
        }
    }

    pub const fn ch(c: char) -> Self {
        Key::plain(KeyCode::Char(c))
    }

    pub const fn ctrl(c: char) -> Self {
        Key {
            code: KeyCode::Char(c),
            modifiers: KeyModifiers::CONTROL,
        }
    }

    /// Whether a key event is this key. Shift is ignored for characters, since terminals
    /// report `G` as either `G` or `Shift+G`.
    pub fn matches(&self, event: &KeyEvent) -> bool {
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
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            format!("Ctrl-{}", base.to_uppercase())
        } else {
            base
        }
    }
}

/// One binding: in `context`, `keys` do `action`; `help` says what (in the help overlay), and
/// `hint`, when set, is the short label the footer shows for it.
#[derive(Debug, Clone)]
pub struct Binding {
    pub context: Context,
    pub keys: Vec<Key>,
    pub action: Action,
    pub help: &'static str,
    pub hint: Option<&'static str>,
}

#[derive(Debug, Clone)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Self {
        use Action as A;
        use Context as C;
        use KeyCode as K;
        let mut bindings = Vec::new();
        let mut bind = |context, keys: &[Key], action, help, hint| {
            bindings.push(Binding {
                context,
                keys: keys.to_vec(),
                action,
                help,
                hint,
            });
        };
        // The user list.
        bind(
            C::List,
            &[Key::ch('j'), Key::plain(K::Down)],
            A::Down,
            "next user",
            None,
        );
        bind(
            C::List,
            &[Key::ch('k'), Key::plain(K::Up)],
            A::Up,
            "previous user",
            None,
        );
        bind(
            C::List,
            &[Key::ch('g'), Key::plain(K::Home)],
            A::First,
            "first row",
            None,
        );
        bind(
            C::List,
            &[Key::ch('G'), Key::plain(K::End)],
            A::Last,
            "last row",
            None,
        );
        bind(
            C::List,
            &[Key::ch('n'), Key::plain(K::PageDown)],
            A::NextPage,
            "next page",
            Some("next"),
        );
        bind(
            C::List,
            &[Key::ch('p'), Key::plain(K::PageUp)],
            A::PrevPage,
            "previous page",
            Some("prev"),
        );
        bind(
            C::List,
            &[Key::ch('/')],
            A::Search,
            "search",
            Some("search"),
        );
        bind(
            C::List,
            &[Key::ch('o')],
            A::SortField,
            "sort by next column",
            Some("sort"),
        );
        bind(
            C::List,
            &[Key::ch('O')],
            A::SortDirection,
            "flip sort direction ▲/▼",
            None,
        );
        bind(
            C::List,
            &[Key::ch('f')],
            A::RoleFilter,
            "filter by role",
            Some("role"),
        );
        bind(C::List, &[Key::ch('R')], A::Refresh, "refresh", None);
        bind(
            C::List,
            &[Key::plain(K::Enter)],
            A::Open,
            "details (reload the user)",
            None,
        );
        bind(
            C::List,
            &[Key::ch('v')],
            A::RevealToken,
            "show/hide the API token",
            None,
        );
        bind(
            C::List,
            &[Key::ch('c')],
            A::Create,
            "create user",
            Some("new"),
        );
        bind(C::List, &[Key::ch('e')], A::Edit, "edit user", Some("edit"));
        bind(
            C::List,
            &[Key::ch('d')],
            A::Delete,
            "delete user",
            Some("delete"),
        );
        bind(
            C::List,
            &[Key::ch('r')],
            A::ResetPassword,
            "reset password",
            Some("reset"),
        );
        bind(C::List, &[Key::ch('y')], A::CopyEmail, "copy e-mail", None);
        bind(C::List, &[Key::ch('Y')], A::CopyId, "copy user id", None);
        bind(
            C::List,
            &[Key::plain(K::Esc)],
            A::DismissStatus,
            "dismiss message / clear search",
            None,
        );
        bind(C::List, &[Key::ch('?')], A::Help, "help", Some("help"));
        bind(
            C::List,
            &[Key::ch('q'), Key::ctrl('c')],
            A::Quit,
            "quit",
            Some("quit"),
        );
        // The search box.
        bind(
            C::Search,
            &[Key::plain(K::Enter), Key::plain(K::Down)],
            A::Submit,
            "keep the search, back to the list",
            Some("keep the search, back to the list"),
        );
        bind(
            C::Search,
            &[Key::plain(K::Esc)],
            A::Back,
            "clear the search",
            Some("clear the search"),
        );
        bind(C::Search, &[Key::ctrl('c')], A::Quit, "quit", None);
        // The detail view (narrow terminals).
        bind(
            C::Detail,
            &[Key::plain(K::Esc), Key::plain(K::Enter), Key::ch('q')],
            A::Back,
            "back to the list",
            Some("back to the list"),
        );
        bind(
            C::Detail,
            &[Key::ch('v')],
            A::RevealToken,
            "show/hide the API token",
            Some("show/hide the API token"),
        );
        bind(C::Detail, &[Key::ch('e')], A::Edit, "edit", Some("edit"));
        bind(
            C::Detail,
            &[Key::ch('d')],
            A::Delete,
            "delete",
            Some("delete"),
        );
        bind(
            C::Detail,
            &[Key::ch('r')],
            A::ResetPassword,
            "reset password",
            Some("reset password"),
        );
        bind(C::Detail, &[Key::ctrl('c')], A::Quit, "quit", None);
        // Forms.
        bind(
            C::Form,
            &[Key::plain(K::Tab), Key::plain(K::Down)],
            A::NextField,
            "next field",
            Some("next field"),
        );
        bind(
            C::Form,
            &[Key::plain(K::BackTab), Key::plain(K::Up)],
            A::PrevField,
            "previous field",
            Some("previous field"),
        );
        bind(
            C::Form,
            &[Key::plain(K::Enter)],
            A::Advance,
            "next field; saves on the last",
            None,
        );
        bind(
            C::Form,
            &[Key::ctrl('s')],
            A::Submit,
            "save (Enter on the last field too)",
            Some("save"),
        );
        bind(
            C::Form,
            &[Key::plain(K::Right), Key::ch(' ')],
            A::RoleNext,
            "next role (on Role)",
            None,
        );
        bind(
            C::Form,
            &[Key::plain(K::Left)],
            A::RolePrev,
            "previous role (on Role)",
            None,
        );
        bind(
            C::Form,
            &[Key::ctrl('r')],
            A::RevealSecret,
            "show/hide a secret field",
            None,
        );
        bind(
            C::Form,
            &[Key::plain(K::Esc)],
            A::Back,
            "cancel",
            Some("cancel"),
        );
        bind(C::Form, &[Key::ctrl('c')], A::Quit, "quit", None);
        // Delete confirmation.
        bind(
            C::Delete,
            &[Key::ch('y')],
            A::Confirm,
            "yes, delete",
            Some("yes, delete"),
        );
        bind(
            C::Delete,
            &[Key::ch('n'), Key::plain(K::Esc)],
            A::Back,
            "cancel",
            Some("cancel"),
        );
        bind(C::Delete, &[Key::ctrl('c')], A::Quit, "quit", None);
        // Reset password.
        bind(
            C::ResetRequest,
            &[Key::ch('s'), Key::plain(K::Enter)],
            A::SendToken,
            "send a reset token",
            Some("send a reset token"),
        );
        bind(
            C::ResetRequest,
            &[Key::ch('t')],
            A::HaveToken,
            "I have a token",
            Some("I have a token"),
        );
        bind(
            C::ResetRequest,
            &[Key::plain(K::Esc), Key::ch('q')],
            A::Back,
            "close",
            Some("close"),
        );
        bind(C::ResetRequest, &[Key::ctrl('c')], A::Quit, "quit", None);
        bind(
            C::ResetApply,
            &[Key::plain(K::Tab), Key::plain(K::Down)],
            A::NextField,
            "next field",
            Some("next field"),
        );
        bind(
            C::ResetApply,
            &[Key::plain(K::BackTab), Key::plain(K::Up)],
            A::PrevField,
            "previous field",
            None,
        );
        bind(
            C::ResetApply,
            &[Key::plain(K::Enter)],
            A::Advance,
            "next field; applies on the last",
            None,
        );
        bind(
            C::ResetApply,
            &[Key::ctrl('s')],
            A::Submit,
            "apply (Enter on the last field too)",
            Some("apply"),
        );
        bind(
            C::ResetApply,
            &[Key::ctrl('r')],
            A::RevealSecret,
            "show/hide a secret field",
            None,
        );
        bind(
            C::ResetApply,
            &[Key::plain(K::Esc)],
            A::Back,
            "back",
            Some("back"),
        );
        bind(C::ResetApply, &[Key::ctrl('c')], A::Quit, "quit", None);
        // Login.
        bind(
            C::Login,
            &[Key::plain(K::Tab), Key::plain(K::Down)],
            A::NextField,
            "next field",
            Some("next field"),
        );
        bind(
            C::Login,
            &[Key::plain(K::BackTab), Key::plain(K::Up)],
            A::PrevField,
            "previous field",
            None,
        );
        bind(
            C::Login,
            &[Key::plain(K::Enter)],
            A::Advance,
            "next field; logs in on the password",
            Some("next / log in"),
        );
        bind(C::Login, &[Key::ctrl('s')], A::Submit, "log in", None);
        bind(
            C::Login,
            &[Key::ctrl('r')],
            A::RevealSecret,
            "show/hide the password",
            None,
        );
        bind(
            C::Login,
            &[Key::plain(K::Esc)],
            A::Back,
            "close (when signed in)",
            None,
        );
        bind(C::Login, &[Key::ctrl('c')], A::Quit, "quit", Some("quit"));
        // Discard-changes question.
        bind(
            C::Discard,
            &[Key::ch('y')],
            A::Confirm,
            "discard the changes",
            Some("discard the changes"),
        );
        bind(
            C::Discard,
            &[Key::ch('n'), Key::plain(K::Esc)],
            A::Back,
            "keep editing",
            Some("keep editing"),
        );
        bind(C::Discard, &[Key::ctrl('c')], A::Quit, "quit", None);
        // Help.
        bind(
            C::Help,
            &[Key::ch('j'), Key::plain(K::Down)],
            A::ScrollDown,
            "scroll down",
            Some("scroll down"),
        );
        bind(
            C::Help,
            &[Key::ch('k'), Key::plain(K::Up)],
            A::ScrollUp,
            "scroll up",
            Some("scroll up"),
        );
        bind(
            C::Help,
            &[Key::plain(K::Esc), Key::ch('?'), Key::ch('q')],
            A::Back,
            "close help",
            Some("close help"),
        );
        bind(C::Help, &[Key::ctrl('c')], A::Quit, "quit", None);
        Keymap { bindings }
    }
}

impl Keymap {
    /// The action a key event has in a context, if any.
    pub fn action(&self, context: Context, event: &KeyEvent) -> Option<Action> {
        self.bindings
            .iter()
            .filter(|b| b.context == context)
            .find(|b| b.keys.iter().any(|k| k.matches(event)))
            .map(|b| b.action)
    }

    /// The bindings of one context, in table order.
    pub fn for_context(&self, context: Context) -> impl Iterator<Item = &Binding> {
        self.bindings.iter().filter(move |b| b.context == context)
    }

    /// Footer hints for a context: `(key, label, action)`, in table order.
    pub fn hints(&self, context: Context) -> Vec<(String, &'static str, Action)> {
        self.for_context(context)
            .filter_map(|b| b.hint.map(|h| (b.keys[0].label(), h, b.action)))
            .collect()
    }

    /// The help overlay's lines: a heading per context, then `keys  what` rows.
    pub fn help_rows(&self) -> Vec<(Option<&'static str>, String, &'static str)> {
        let mut rows = Vec::new();
        for context in Context::ALL {
            rows.push((Some(context.title()), String::new(), ""));
            for b in self.for_context(context) {
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
            km.action(Context::List, &key(KeyCode::Char('j'), KeyModifiers::NONE)),
            Some(Action::Down)
        );
        assert_eq!(
            km.action(Context::List, &key(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Action::Last)
        );
        assert_eq!(
            km.action(
                Context::List,
                &key(KeyCode::Char('c'), KeyModifiers::CONTROL)
            ),
            Some(Action::Quit)
        );
        assert_eq!(
            km.action(Context::Form, &key(KeyCode::Char('j'), KeyModifiers::NONE)),
            None,
            "letters are text in a form"
        );
        assert_eq!(
            km.action(Context::Form, &key(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Action::PrevField)
        );
        assert_eq!(
            km.action(Context::Delete, &key(KeyCode::Enter, KeyModifiers::NONE)),
            None,
            "a stray Enter never deletes"
        );
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        let km = Keymap::default();
        for context in Context::ALL {
            let mut seen = Vec::new();
            for b in km.for_context(context) {
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
        for context in Context::ALL {
            assert!(
                km.for_context(context).any(|b| b.action == Action::Quit),
                "{context:?} has no quit key"
            );
        }
        let rows = km.help_rows();
        assert_eq!(
            rows.iter().filter(|r| r.0.is_some()).count(),
            Context::ALL.len()
        );
        assert!(rows.iter().any(|r| r.1 == "d" && r.2 == "delete user"));
    }

    #[test]
    fn hints_are_short_labels() {
        let km = Keymap::default();
        let hints = km.hints(Context::Form);
        assert!(
            hints.contains(&("Ctrl-S".to_owned(), "save", Action::Submit)),
            "{hints:?}"
        );
        assert!(
            hints.contains(&("Tab".to_owned(), "next field", Action::NextField)),
            "{hints:?}"
        );
        let list: Vec<_> = km.hints(Context::List).into_iter().map(|h| h.1).collect();
        assert_eq!(
            list.join(" "),
            "next prev search sort role new edit delete reset help quit"
        );
    }
}
