//! Every key binding of the TUI, in one table. Key handling, the footer hints and the help
//! overlay all read this table, so what the help says is what the keys do.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::api::{Capabilities, Operation};

/// Where the keyboard focus is; each context has its own bindings, and `Global` ones work in
/// every context (after the context's own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    List,
    /// The Invites tab's list.
    Invites,
    Search,
    GoToPage,
    Detail,
    /// One invite full screen (narrow terminals).
    InviteDetail,
    Form,
    /// The new-invite form.
    InviteForm,
    Delete,
    /// "Revoke the invite for …?"
    Revoke,
    /// A new invite's token (after create or resend), with its link.
    InviteToken,
    ResetRequest,
    ResetApply,
    Login,
    Discard,
    Messages,
    /// The profile switcher: the stores in the config file.
    Profiles,
    /// A bulk action on the marked users: confirm, watch it run, read the results.
    Bulk,
    /// Export the list to a file: the path prompt.
    Export,
    Help,
    HelpFilter,
    Everywhere,
    Global,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::List => "User list",
            Context::Invites => "Invite list",
            Context::InviteDetail => "Invite detail view",
            Context::InviteForm => "Invite form",
            Context::Revoke => "Revoke invite dialog",
            Context::InviteToken => "New invite token",
            Context::Search => "Search box",
            Context::GoToPage => "Go to page",
            Context::Detail => "Detail view",
            Context::Form => "Create / edit form",
            Context::Delete => "Delete dialog",
            Context::ResetRequest => "Reset password: send token",
            Context::ResetApply => "Reset password: apply token",
            Context::Login => "Login",
            Context::Discard => "Discard changes?",
            Context::Messages => "Messages",
            Context::Profiles => "Profile switcher",
            Context::Everywhere => "Every store (one person's access)",
            Context::Bulk => "Bulk action (marked users)",
            Context::Export => "Export to a file",
            Context::Help => "Help",
            Context::HelpFilter => "Help filter",
            Context::Global => "Everywhere",
        }
    }

    /// Whether keys typed here are text (a search, a form): sequences cannot start here.
    pub fn takes_text(self) -> bool {
        matches!(
            self,
            Context::Search
                | Context::GoToPage
                | Context::Form
                | Context::InviteForm
                | Context::Login
                | Context::Export
                | Context::HelpFilter
        )
    }

    /// The order the help overlay lists contexts in.
    pub const ALL: [Context; 23] = [
        Context::List,
        Context::Invites,
        Context::Search,
        Context::GoToPage,
        Context::Detail,
        Context::InviteDetail,
        Context::Form,
        Context::InviteForm,
        Context::Delete,
        Context::Revoke,
        Context::InviteToken,
        Context::ResetRequest,
        Context::ResetApply,
        Context::Login,
        Context::Discard,
        Context::Messages,
        Context::Profiles,
        Context::Everywhere,
        Context::Bulk,
        Context::Export,
        Context::Help,
        Context::HelpFilter,
        Context::Global,
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
    /// The first user of the whole list (in a scrolled view: the top).
    First,
    /// The last user of the whole list (in a scrolled view: the bottom).
    Last,
    PageTop,
    PageBottom,
    NextPage,
    PrevPage,
    HalfPageDown,
    HalfPageUp,
    GoToPage,
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
    /// Copy the selected row as JSON.
    CopyJson,
    /// Where the selected user has access, in every store of the config.
    Everywhere,
    DismissStatus,
    Messages,
    NextField,
    PrevField,
    Submit,
    RoleNext,
    RolePrev,
    RevealSecret,
    Confirm,
    SendToken,
    HaveToken,
    FillToken,
    /// Mint a reset token as an admin and show it (v2.20+).
    MintToken,
    /// Copy the token on screen (a minted reset token).
    CopyToken,
    /// Copy the link on screen (a minted reset token's dashboard link).
    CopyLink,
    /// In the delete dialog: also revoke the secret API keys the user created.
    ToggleRevokeKeys,
    /// Open the profile switcher (the stores in the config file).
    Profiles,
    /// Mark or unmark the selected user for a bulk action.
    Mark,
    /// Mark every user on the page.
    MarkPage,
    /// Clear every mark.
    ClearMarks,
    /// Export the list (every page) to a CSV or JSON file.
    Export,
    Filter,
    /// Switch between the Users and Invites tabs.
    NextTab,
    /// Jump to the Users tab.
    UsersTab,
    /// Jump to the Invites tab.
    InvitesTab,
    /// A new token for the selected invite.
    Resend,
    /// Enter in a form: next field, or submit on the last one.
    Advance,
    Suspend,
}

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
    fn matches_after(&self, pending: Option<char>, event: &KeyEvent) -> bool {
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

/// What a key press comes to, given the character pressed before it (if that started a
/// sequence).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved {
    Action(Action),
    /// The first key of a sequence: wait for the next one.
    Pending(char),
    Nothing,
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
    /// What the binding needs to work; without it the key does nothing and neither the help
    /// nor the footer shows it.
    pub needs: &'static [Need],
}

/// What a binding can need of the backend or the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// It performs this operation on the server: not in read-only mode when the operation
    /// changes data ([`Operation::changes_data`] decides).
    Performs(Operation),
    /// It only prepares changes (marks for a bulk change): not in read-only mode.
    PreparesChanges,
    /// Users have roles (v1).
    Roles,
    /// Users have an API token field (v1).
    UserApiToken,
    /// The server e-mails reset tokens.
    EmailResetToken,
    /// An admin can mint a reset token and see it (v2.20+).
    MintResetToken,
    /// Invites have roles (v1).
    InviteRoles,
    /// Secret API keys exist, and outlive the admin who made them (v2).
    SecretKeys,
    /// The config file names profiles to switch between.
    Profiles,
}

/// What the keys may offer right now: the backend's capabilities (unknown until the first
/// answer) and the session's mode. Key handling, help and footer all ask this one question.
#[derive(Debug, Clone, Copy)]
pub struct Offer<'a> {
    pub caps: Option<&'a Capabilities>,
    pub read_only: bool,
    /// Every binding, whatever it needs (the README documents the whole table).
    pub everything: bool,
    /// The config file has profiles to switch to.
    pub profiles: bool,
}

impl<'a> Offer<'a> {
    /// Everything: the full table, as the README documents it.
    pub const ALL: Offer<'static> = Offer {
        caps: None,
        read_only: false,
        everything: true,
        profiles: true,
    };

    pub fn new(caps: Option<&'a Capabilities>, read_only: bool) -> Offer<'a> {
        Offer {
            caps,
            read_only,
            everything: false,
            profiles: false,
        }
    }

    /// The same offer, with profiles to switch to (or not).
    pub fn with_profiles(self, profiles: bool) -> Offer<'a> {
        Offer { profiles, ..self }
    }

    pub fn allows(&self, need: Need) -> bool {
        let caps = self.caps;
        match need {
            Need::Performs(op) => !(self.read_only && op.changes_data()),
            Need::PreparesChanges => !self.read_only,
            // While the capabilities are unknown, keys that depend on them do nothing yet.
            Need::Roles => caps.is_some_and(|c| c.roles),
            Need::UserApiToken => caps.is_some_and(|c| c.user_api_token),
            Need::EmailResetToken => caps.is_some_and(|c| c.reset.email_token),
            Need::MintResetToken => caps.is_some_and(|c| c.reset.admin_mint),
            Need::InviteRoles => caps.is_some_and(|c| c.invites.roles),
            Need::SecretKeys => caps.is_some_and(|c| c.secret_keys),
            Need::Profiles => self.profiles,
        }
    }

    pub fn offers(&self, binding: &Binding) -> bool {
        binding.needs.iter().all(|n| self.allows(*n))
    }
}

/// What each action needs, in one place (by context where it differs).
fn needs_of(context: Context, action: Action) -> &'static [Need] {
    use Action as A;
    match (context, action) {
        (Context::Invites | Context::InviteDetail, A::Create) => {
            &[Need::Performs(Operation::CreateInvite)]
        }
        (Context::Invites | Context::InviteDetail, A::Delete) => {
            &[Need::Performs(Operation::RevokeInvite)]
        }
        (_, A::Resend) => &[Need::Performs(Operation::ResendInvite)],
        (_, A::Create) => &[Need::Performs(Operation::CreateUser)],
        (_, A::Edit) => &[Need::Performs(Operation::UpdateUser)],
        (_, A::Delete) => &[Need::Performs(Operation::DeleteUser)],
        (_, A::ResetPassword) => &[Need::Performs(Operation::ResetPassword)],
        // Before `Form`'s role keys: an invite's role is its own capability.
        (Context::InviteForm, A::RoleNext | A::RolePrev) => &[Need::InviteRoles],
        (_, A::RoleFilter) => &[Need::Roles],
        (Context::List | Context::Detail, A::RevealToken) => &[Need::UserApiToken],
        (Context::Form, A::RoleNext | A::RolePrev) => &[Need::Roles],
        (Context::ResetRequest, A::SendToken) => &[
            Need::Performs(Operation::SendResetToken),
            Need::EmailResetToken,
        ],
        (Context::ResetRequest, A::MintToken) => &[
            Need::Performs(Operation::MintResetToken),
            Need::MintResetToken,
        ],
        (Context::ResetRequest, A::CopyToken | A::CopyLink) => &[Need::MintResetToken],
        (Context::Delete, A::ToggleRevokeKeys) => &[Need::SecretKeys],
        (_, A::Profiles | A::Everywhere) | (Context::Profiles | Context::Everywhere, _) => {
            &[Need::Profiles]
        }
        // Marks are for bulk changes: nothing to mark for in read-only mode.
        (_, A::Mark | A::MarkPage | A::ClearMarks) => &[Need::PreparesChanges],
        (Context::Bulk, A::RoleNext | A::RolePrev) => &[Need::Roles],
        _ => &[],
    }
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
                needs: needs_of(context, action),
            });
        };
        let (down, up) = (Key::plain(K::Down), Key::plain(K::Up));
        let (enter, esc) = (Key::plain(K::Enter), Key::plain(K::Esc));
        let (tab, backtab) = (Key::plain(K::Tab), Key::plain(K::BackTab));
        let (pgdn, pgup) = (Key::plain(K::PageDown), Key::plain(K::PageUp));
        let (home, end) = (Key::plain(K::Home), Key::plain(K::End));
        let ch = Key::ch;
        let ctrl = Key::ctrl;

        // The user list. The list is one long list that the server hands out a page (a window
        // full) at a time; moving past a page's edge loads the next one.
        bind(
            C::List,
            &[ch('j'), down],
            A::Down,
            "next user (past the last row: next page)",
            None,
        );
        bind(
            C::List,
            &[ch('k'), up],
            A::Up,
            "previous user (past the first row: previous page)",
            None,
        );
        bind(
            C::List,
            &[ch('g'), home],
            A::First,
            "first user (first page)",
            None,
        );
        bind(
            C::List,
            &[ch('G'), end],
            A::Last,
            "last user (last page)",
            None,
        );
        bind(
            C::List,
            &[ch('H')],
            A::PageTop,
            "first row of this page",
            None,
        );
        bind(
            C::List,
            &[ch('L')],
            A::PageBottom,
            "last row of this page",
            None,
        );
        bind(
            C::List,
            &[ch('n'), pgdn, ctrl('f')],
            A::NextPage,
            "next page",
            Some("next"),
        );
        bind(
            C::List,
            &[ch('p'), pgup, ctrl('b')],
            A::PrevPage,
            "previous page",
            Some("prev"),
        );
        bind(
            C::List,
            &[ctrl('d')],
            A::HalfPageDown,
            "half a page down",
            None,
        );
        bind(C::List, &[ctrl('u')], A::HalfPageUp, "half a page up", None);
        bind(C::List, &[ch(':')], A::GoToPage, "go to page N", None);
        bind(
            C::List,
            &[enter],
            A::Open,
            "details (reload the user)",
            Some("details"),
        );
        bind(C::List, &[ch('/')], A::Search, "search", Some("search"));
        bind(
            C::List,
            &[ch('o')],
            A::SortField,
            "sort by next column",
            Some("sort"),
        );
        bind(
            C::List,
            &[ch('O')],
            A::SortDirection,
            "flip sort direction ▲/▼",
            None,
        );
        bind(
            C::List,
            &[ch('f')],
            A::RoleFilter,
            "filter by role",
            Some("role"),
        );
        bind(C::List, &[ch('R')], A::Refresh, "refresh", None);
        bind(
            C::List,
            &[ch('v')],
            A::RevealToken,
            "show/hide the API token",
            None,
        );
        bind(C::List, &[ch('c')], A::Create, "create user", Some("new"));
        bind(C::List, &[ch('e')], A::Edit, "edit user", Some("edit"));
        bind(
            C::List,
            &[ch('d')],
            A::Delete,
            "delete user",
            Some("delete"),
        );
        bind(
            C::List,
            &[ch('r')],
            A::ResetPassword,
            "reset password",
            Some("reset"),
        );
        bind(
            C::List,
            &[ch('P')],
            A::Profiles,
            "switch store (profiles in the config)",
            Some("stores"),
        );
        bind(
            C::List,
            &[ch(' ')],
            A::Mark,
            "mark / unmark (d, r and e then act on every marked user)",
            Some("mark"),
        );
        bind(
            C::List,
            &[ch('*')],
            A::MarkPage,
            "mark every user on the page",
            None,
        );
        bind(C::List, &[ch('u')], A::ClearMarks, "clear the marks", None);
        bind(
            C::List,
            &[ch('X')],
            A::Export,
            "export the list (every page, as searched) to CSV or JSON",
            None,
        );
        bind(C::List, &[ch('y')], A::CopyEmail, "copy e-mail", None);
        bind(C::List, &[ch('Y')], A::CopyId, "copy user id", None);
        bind(
            C::List,
            &[ch('w')],
            A::Everywhere,
            "where this user has access: every store of the config",
            None,
        );
        bind(
            C::List,
            &[ch('J')],
            A::CopyJson,
            "copy the user as JSON (the API token only when shown)",
            None,
        );
        bind(
            C::List,
            &[ch('m')],
            A::Messages,
            "messages (every notice in full)",
            None,
        );
        bind(
            C::List,
            &[esc],
            A::DismissStatus,
            "dismiss message / clear search",
            None,
        );
        bind(
            C::List,
            &[tab],
            A::NextTab,
            "switch to the Invites tab",
            Some("invites"),
        );
        bind(C::List, &[ch('1')], A::UsersTab, "Users tab", None);
        bind(C::List, &[ch('2')], A::InvitesTab, "Invites tab", None);
        bind(C::List, &[ch('?')], A::Help, "help", Some("help"));
        bind(
            C::List,
            &[ch('q'), ctrl('c')],
            A::Quit,
            "quit",
            Some("quit"),
        );
        // The invite list (the Invites tab): one page at a time, like the users.
        bind(C::Invites, &[ch('j'), down], A::Down, "next invite", None);
        bind(C::Invites, &[ch('k'), up], A::Up, "previous invite", None);
        bind(C::Invites, &[ch('g'), home], A::First, "first invite", None);
        bind(C::Invites, &[ch('G'), end], A::Last, "last invite", None);
        bind(
            C::Invites,
            &[ch('n'), pgdn, ctrl('f')],
            A::NextPage,
            "next page",
            Some("next"),
        );
        bind(
            C::Invites,
            &[ch('p'), pgup, ctrl('b')],
            A::PrevPage,
            "previous page",
            Some("prev"),
        );
        bind(
            C::Invites,
            &[enter],
            A::Open,
            "details (narrow terminals)",
            Some("details"),
        );
        bind(
            C::Invites,
            &[ch('/')],
            A::Search,
            "search by e-mail",
            Some("search"),
        );
        bind(
            C::Invites,
            &[ch('o')],
            A::SortField,
            "sort by created, e-mail, expiry",
            Some("sort"),
        );
        bind(
            C::Invites,
            &[ch('O')],
            A::SortDirection,
            "flip sort direction ▲/▼",
            None,
        );
        bind(
            C::Invites,
            &[ch('R')],
            A::Refresh,
            "refresh",
            Some("refresh"),
        );
        bind(
            C::Invites,
            &[ch('v')],
            A::RevealToken,
            "show/hide the invite token",
            None,
        );
        bind(
            C::Invites,
            &[ch('c')],
            A::Create,
            "invite someone",
            Some("invite"),
        );
        bind(
            C::Invites,
            &[ch('r')],
            A::Resend,
            "resend: a new token",
            Some("resend"),
        );
        bind(
            C::Invites,
            &[ch('d')],
            A::Delete,
            "revoke the invite",
            Some("revoke"),
        );
        bind(
            C::Invites,
            &[ch('y')],
            A::CopyToken,
            "copy the invite token",
            None,
        );
        bind(
            C::Invites,
            &[ch('l')],
            A::CopyLink,
            "copy the invite link (with an admin URL)",
            None,
        );
        bind(
            C::Invites,
            &[tab],
            A::NextTab,
            "switch to the Users tab",
            Some("users"),
        );
        bind(
            C::Invites,
            &[ch('P')],
            A::Profiles,
            "switch store (profiles in the config)",
            None,
        );
        bind(C::Invites, &[ch('1')], A::UsersTab, "Users tab", None);
        bind(C::Invites, &[ch('2')], A::InvitesTab, "Invites tab", None);
        bind(
            C::Invites,
            &[ch(' ')],
            A::Mark,
            "mark / unmark (r and d then act on every marked invite)",
            Some("mark"),
        );
        bind(
            C::Invites,
            &[ch('*')],
            A::MarkPage,
            "mark every invite on the page",
            None,
        );
        bind(
            C::Invites,
            &[ch('u')],
            A::ClearMarks,
            "clear the marks",
            None,
        );
        bind(
            C::Invites,
            &[ch('m')],
            A::Messages,
            "messages (every notice in full)",
            None,
        );
        bind(
            C::Invites,
            &[esc],
            A::DismissStatus,
            "dismiss message / clear search",
            None,
        );
        bind(C::Invites, &[ch('?')], A::Help, "help", Some("help"));
        bind(
            C::Invites,
            &[ch('q'), ctrl('c')],
            A::Quit,
            "quit",
            Some("quit"),
        );
        // The search box.
        bind(
            C::Search,
            &[enter, down],
            A::Submit,
            "keep the search, back to the list",
            Some("keep the search, back to the list"),
        );
        bind(
            C::Search,
            &[esc],
            A::Back,
            "clear the search",
            Some("clear the search"),
        );
        bind(C::Search, &[ctrl('c')], A::Quit, "quit", None);
        // The go-to-page prompt.
        bind(
            C::GoToPage,
            &[enter],
            A::Submit,
            "go to that page",
            Some("go"),
        );
        bind(C::GoToPage, &[esc], A::Back, "cancel", Some("cancel"));
        bind(C::GoToPage, &[ctrl('c')], A::Quit, "quit", None);
        // The detail view (narrow terminals).
        bind(
            C::Detail,
            &[esc, enter, ch('q')],
            A::Back,
            "back to the list",
            Some("back to the list"),
        );
        bind(
            C::Detail,
            &[ch('v')],
            A::RevealToken,
            "show/hide the API token",
            Some("show/hide the API token"),
        );
        bind(C::Detail, &[ch('e')], A::Edit, "edit", Some("edit"));
        bind(C::Detail, &[ch('d')], A::Delete, "delete", Some("delete"));
        bind(
            C::Detail,
            &[ch('r')],
            A::ResetPassword,
            "reset password",
            Some("reset password"),
        );
        bind(C::Detail, &[ctrl('c')], A::Quit, "quit", None);
        // Forms.
        bind(
            C::Form,
            &[tab, down],
            A::NextField,
            "next field",
            Some("next field"),
        );
        bind(
            C::Form,
            &[backtab, up],
            A::PrevField,
            "previous field",
            Some("previous field"),
        );
        bind(
            C::Form,
            &[enter],
            A::Advance,
            "next field; saves on the last",
            None,
        );
        bind(
            C::Form,
            &[ctrl('s')],
            A::Submit,
            "save (Enter on the last field too)",
            Some("save"),
        );
        bind(
            C::Form,
            &[Key::plain(K::Right), ch(' ')],
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
            &[ctrl('r')],
            A::RevealSecret,
            "show/hide a secret field",
            None,
        );
        bind(
            C::Form,
            &[esc],
            A::Back,
            "cancel (asks first if you typed something)",
            Some("cancel"),
        );
        bind(
            C::Form,
            &[ctrl('c')],
            A::Quit,
            "quit (asks first if you typed something)",
            None,
        );
        // Delete confirmation.
        bind(
            C::Delete,
            &[ch('y')],
            A::Confirm,
            "yes, delete",
            Some("yes, delete"),
        );
        bind(
            C::Delete,
            &[ch('k')],
            A::ToggleRevokeKeys,
            "also revoke the secret API keys the user created",
            Some("revoke keys too"),
        );
        bind(
            C::Delete,
            &[ch('n'), esc],
            A::Back,
            "cancel",
            Some("cancel"),
        );
        bind(C::Delete, &[ctrl('c')], A::Quit, "quit", None);
        // One invite, full screen (narrow terminals).
        bind(
            C::InviteDetail,
            &[esc, enter, ch('q')],
            A::Back,
            "back to the list",
            Some("back"),
        );
        bind(
            C::InviteDetail,
            &[ch('v')],
            A::RevealToken,
            "show/hide the invite token",
            Some("show token"),
        );
        bind(
            C::InviteDetail,
            &[ch('y')],
            A::CopyToken,
            "copy the token",
            None,
        );
        bind(
            C::InviteDetail,
            &[ch('l')],
            A::CopyLink,
            "copy the link",
            None,
        );
        bind(
            C::InviteDetail,
            &[ch('r')],
            A::Resend,
            "resend: a new token",
            Some("resend"),
        );
        bind(
            C::InviteDetail,
            &[ch('d')],
            A::Delete,
            "revoke",
            Some("revoke"),
        );
        bind(C::InviteDetail, &[ctrl('c')], A::Quit, "quit", None);
        // The new-invite form.
        bind(
            C::InviteForm,
            &[tab, down],
            A::NextField,
            "next field",
            Some("next field"),
        );
        bind(
            C::InviteForm,
            &[backtab, up],
            A::PrevField,
            "previous field",
            None,
        );
        bind(
            C::InviteForm,
            &[enter],
            A::Advance,
            "next field; sends on the last",
            None,
        );
        bind(
            C::InviteForm,
            &[ctrl('s')],
            A::Submit,
            "send the invite (Enter on the last field too)",
            Some("invite"),
        );
        bind(
            C::InviteForm,
            &[Key::plain(K::Right), ch(' ')],
            A::RoleNext,
            "next role (on Role)",
            None,
        );
        bind(
            C::InviteForm,
            &[Key::plain(K::Left)],
            A::RolePrev,
            "previous role (on Role)",
            None,
        );
        bind(
            C::InviteForm,
            &[esc],
            A::Back,
            "cancel (asks first if you typed something)",
            Some("cancel"),
        );
        bind(
            C::InviteForm,
            &[ctrl('c')],
            A::Quit,
            "quit (asks first if you typed something)",
            None,
        );
        // Revoke confirmation: only `y` revokes (a stray Enter does nothing).
        bind(
            C::Revoke,
            &[ch('y')],
            A::Confirm,
            "yes, revoke",
            Some("yes, revoke"),
        );
        bind(
            C::Revoke,
            &[ch('n'), esc],
            A::Back,
            "cancel",
            Some("cancel"),
        );
        bind(C::Revoke, &[ctrl('c')], A::Quit, "quit", None);
        // A new invite's token.
        bind(
            C::InviteToken,
            &[ch('y')],
            A::CopyToken,
            "copy the token",
            Some("copy token"),
        );
        bind(
            C::InviteToken,
            &[ch('l')],
            A::CopyLink,
            "copy the invite link (with an admin URL)",
            Some("copy link"),
        );
        bind(
            C::InviteToken,
            &[esc, enter, ch('q')],
            A::Back,
            "close",
            Some("close"),
        );
        bind(C::InviteToken, &[ctrl('c')], A::Quit, "quit", None);
        // Reset password.
        bind(
            C::ResetRequest,
            &[ch('s'), enter],
            A::SendToken,
            "e-mail the user a reset token",
            Some("e-mail a token"),
        );
        bind(
            C::ResetRequest,
            &[ch('m')],
            A::MintToken,
            "mint a token now and show it (valid 15 minutes)",
            Some("mint a token now"),
        );
        bind(
            C::ResetRequest,
            &[ch('y')],
            A::CopyToken,
            "copy the minted token",
            Some("copy token"),
        );
        bind(
            C::ResetRequest,
            &[ch('l')],
            A::CopyLink,
            "copy the minted token's reset link (with an admin URL)",
            Some("copy link"),
        );
        bind(
            C::ResetRequest,
            &[ch('t')],
            A::HaveToken,
            "I have a token",
            Some("I have a token"),
        );
        bind(
            C::ResetRequest,
            &[ch('f')],
            A::FillToken,
            "fill in the token the sandbox wrote (sandbox only)",
            Some("fill in the token"),
        );
        bind(
            C::ResetRequest,
            &[esc, ch('q')],
            A::Back,
            "close",
            Some("close"),
        );
        bind(C::ResetRequest, &[ctrl('c')], A::Quit, "quit", None);
        bind(
            C::ResetApply,
            &[tab, down],
            A::NextField,
            "next field",
            Some("next field"),
        );
        bind(
            C::ResetApply,
            &[backtab, up],
            A::PrevField,
            "previous field",
            None,
        );
        bind(
            C::ResetApply,
            &[enter],
            A::Advance,
            "next field; applies on the last",
            None,
        );
        bind(
            C::ResetApply,
            &[ctrl('s')],
            A::Submit,
            "apply (Enter on the last field too)",
            Some("apply"),
        );
        bind(
            C::ResetApply,
            &[ctrl('r')],
            A::RevealSecret,
            "show/hide a secret field",
            None,
        );
        bind(
            C::ResetApply,
            &[esc],
            A::Back,
            "back (asks first if you typed something)",
            Some("back"),
        );
        bind(
            C::ResetApply,
            &[ctrl('c')],
            A::Quit,
            "quit (asks first if you typed something)",
            None,
        );
        // Login.
        bind(
            C::Login,
            &[tab, down],
            A::NextField,
            "next field",
            Some("next field"),
        );
        bind(
            C::Login,
            &[backtab, up],
            A::PrevField,
            "previous field",
            None,
        );
        bind(
            C::Login,
            &[enter],
            A::Advance,
            "next field; logs in on the password",
            Some("next / log in"),
        );
        bind(C::Login, &[ctrl('s')], A::Submit, "log in", None);
        bind(
            C::Login,
            &[ctrl('r')],
            A::RevealSecret,
            "show/hide the password",
            None,
        );
        bind(C::Login, &[esc], A::Back, "close (when signed in)", None);
        bind(C::Login, &[ctrl('c')], A::Quit, "quit", Some("quit"));
        // Discard-changes question.
        bind(
            C::Discard,
            &[ch('y')],
            A::Confirm,
            "discard the changes",
            Some("discard"),
        );
        bind(
            C::Discard,
            &[ch('n'), esc],
            A::Back,
            "keep editing",
            Some("keep editing"),
        );
        bind(C::Discard, &[ctrl('c')], A::Quit, "quit", None);
        // The export prompt (its text field takes every other key).
        bind(C::Export, &[enter], A::Submit, "export", Some("export"));
        bind(C::Export, &[esc], A::Back, "cancel", Some("cancel"));
        bind(C::Export, &[ctrl('c')], A::Quit, "quit", None);
        // A bulk action on the marked users.
        bind(
            C::Bulk,
            &[ch('y')],
            A::Confirm,
            "go (before it starts)",
            Some("go"),
        );
        bind(
            C::Bulk,
            &[esc, ch('n'), ch('s')],
            A::Back,
            "cancel; while running: stop after the current user; after: close",
            Some("cancel/stop/close"),
        );
        bind(
            C::Bulk,
            &[Key::plain(K::Right)],
            A::RoleNext,
            "next role (changing roles; Tab when typing the profile's name)",
            None,
        );
        bind(
            C::Bulk,
            &[Key::plain(K::Left)],
            A::RolePrev,
            "previous role (changing roles)",
            None,
        );
        bind(C::Bulk, &[enter], A::Submit, "close (when done)", None);
        bind(C::Bulk, &[ctrl('c')], A::Quit, "quit", None);
        // The profile switcher.
        bind(
            C::Profiles,
            &[ch('j'), down],
            A::Down,
            "next store",
            Some("move"),
        );
        bind(C::Profiles, &[ch('k'), up], A::Up, "previous store", None);
        bind(
            C::Profiles,
            &[enter],
            A::Submit,
            "switch to this store",
            Some("switch"),
        );
        bind(
            C::Profiles,
            &[esc, ch('P'), ch('q')],
            A::Back,
            "close",
            Some("close"),
        );
        bind(C::Profiles, &[ctrl('c')], A::Quit, "quit", None);
        // One person's access in every store.
        bind(
            C::Everywhere,
            &[ch('j'), down],
            A::Down,
            "next store",
            Some("move"),
        );
        bind(C::Everywhere, &[ch('k'), up], A::Up, "previous store", None);
        bind(
            C::Everywhere,
            &[enter],
            A::Submit,
            "switch to this store",
            Some("switch"),
        );
        bind(
            C::Everywhere,
            &[ch('R')],
            A::Refresh,
            "ask again",
            Some("ask again"),
        );
        bind(
            C::Everywhere,
            &[esc, ch('w'), ch('q')],
            A::Back,
            "close",
            Some("close"),
        );
        bind(C::Everywhere, &[ctrl('c')], A::Quit, "quit", None);
        // The message log.
        bind(
            C::Messages,
            &[ch('j'), down],
            A::Down,
            "scroll down",
            Some("scroll"),
        );
        bind(C::Messages, &[ch('k'), up], A::Up, "scroll up", None);
        bind(
            C::Messages,
            &[pgdn, ch(' ')],
            A::NextPage,
            "page down",
            None,
        );
        bind(C::Messages, &[pgup], A::PrevPage, "page up", None);
        bind(C::Messages, &[ch('g'), home], A::First, "top", None);
        bind(C::Messages, &[ch('G'), end], A::Last, "bottom", None);
        bind(
            C::Messages,
            &[esc, ch('m'), ch('q')],
            A::Back,
            "close",
            Some("close"),
        );
        bind(C::Messages, &[ctrl('c')], A::Quit, "quit", None);
        // Help.
        bind(
            C::Help,
            &[ch('j'), down],
            A::Down,
            "scroll down",
            Some("scroll"),
        );
        bind(C::Help, &[ch('k'), up], A::Up, "scroll up", None);
        bind(C::Help, &[pgdn, ch(' ')], A::NextPage, "page down", None);
        bind(C::Help, &[pgup], A::PrevPage, "page up", None);
        bind(C::Help, &[ch('g'), home], A::First, "top", None);
        bind(C::Help, &[ch('G'), end], A::Last, "bottom", None);
        bind(
            C::Help,
            &[ch('/')],
            A::Filter,
            "filter: type to show matching keys",
            Some("filter"),
        );
        bind(
            C::Help,
            &[esc, ch('?'), ch('q')],
            A::Back,
            "close help",
            Some("close help"),
        );
        bind(C::Help, &[ctrl('c')], A::Quit, "quit", None);
        bind(
            C::HelpFilter,
            &[enter, down],
            A::Submit,
            "keep the filter, scroll again",
            Some("keep the filter"),
        );
        bind(
            C::HelpFilter,
            &[esc],
            A::Back,
            "clear the filter",
            Some("clear the filter"),
        );
        bind(C::HelpFilter, &[ctrl('c')], A::Quit, "quit", None);
        // Everywhere.
        bind(
            C::Global,
            &[ctrl('z')],
            A::Suspend,
            "suspend to the shell (fg brings it back)",
            None,
        );
        Keymap { bindings }
    }
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
