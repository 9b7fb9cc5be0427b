//! The default key table: every binding of every context, with its help text and footer
//! hint, in the order the help lists them. One table, kept whole.

use crossterm::event::KeyCode;

use super::needs::needs_of;
use super::{Action, Binding, Context, Key, Keymap};

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
