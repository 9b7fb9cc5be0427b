//! Every key binding of the TUI, in one table. Key handling, the footer hints and the help
//! overlay all read this table, so what the help says is what the keys do.
//!
//! Here: where the focus is ([`Context`]), what a key asks for ([`Action`]), a binding and the
//! table itself ([`Keymap`]). Beside it: the keys (`key.rs`), what a binding needs of the
//! backend or the session (`needs.rs`), the default table (`defaults.rs`), how a key press is
//! looked up in it (`resolve.rs`), and the config's `[keys]` merged over it (`config.rs`).

pub mod config;
mod defaults;
mod key;
mod needs;
mod resolve;

pub use key::Key;
pub use needs::{Need, Offer};
pub use resolve::Resolved;

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

#[derive(Debug, Clone)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}
