//! Bulk actions on marked users: `Space` marks, `*` marks the page, `u` clears; with marks, `d`
//! deletes, `r` sends reset e-mails and `e` changes the role (where users have roles: Medusa
//! v1, the role picked with ←/→ in the dialog) of every marked user. The invites tab has the
//! same marks, with `r` resending and `d` revoking every marked invite. One confirmation lists them (on a
//! production profile the profile's name is typed), then one request at a time, with the
//! progress on screen; `Esc` stops after the user in progress, never losing track of what was
//! done; at the end a result per user. Users that succeeded are unmarked, failed ones stay
//! marked for another try.
//!
//! Here what a bulk action is ([`Bulk`], [`BulkKind`], [`BulkItem`], [`BulkState`]); beside it
//! marking (`marks.rs`), the dialog at work (`run.rs`) and its drawing (`view.rs`).

use tui_input::Input;

use crate::api::{Invite, Role, UpdateUser, User};
use crate::tui::app::{ApiRequest, RequestId};

mod marks;
mod run;
pub(crate) mod view;

/// What a bulk action does to each user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkKind {
    Delete,
    /// Have the server e-mail each a password-reset token.
    ResetEmail,
    /// Give each this role.
    SetRole(Role),
    /// A new token for each marked invite (the old ones stop working).
    ResendInvites,
    RevokeInvites,
}

/// One thing a bulk action acts on.
#[derive(Debug, Clone)]
pub enum BulkItem {
    User(User),
    Invite(Invite),
}

impl BulkItem {
    pub fn id(&self) -> &str {
        match self {
            BulkItem::User(u) => &u.id,
            BulkItem::Invite(i) => &i.id,
        }
    }

    pub fn email(&self) -> &str {
        match self {
            BulkItem::User(u) => &u.email,
            BulkItem::Invite(i) => &i.email,
        }
    }

    pub fn role(&self) -> Option<Role> {
        match self {
            BulkItem::User(u) => u.role,
            BulkItem::Invite(i) => i.role,
        }
    }
}

impl BulkKind {
    pub fn verb(self) -> String {
        match self {
            BulkKind::Delete => "delete".to_owned(),
            BulkKind::ResetEmail => "send a reset e-mail to".to_owned(),
            BulkKind::SetRole(role) => format!("make {role}"),
            BulkKind::ResendInvites => "resend".to_owned(),
            BulkKind::RevokeInvites => "revoke".to_owned(),
        }
    }

    pub fn doing(self) -> String {
        match self {
            BulkKind::Delete => "deleting".to_owned(),
            BulkKind::ResetEmail => "sending reset e-mails".to_owned(),
            BulkKind::SetRole(role) => format!("making {role}"),
            BulkKind::ResendInvites => "resending invites".to_owned(),
            BulkKind::RevokeInvites => "revoking invites".to_owned(),
        }
    }

    /// Whether it acts on invites (marked in the invites tab) rather than users.
    pub fn on_invites(self) -> bool {
        matches!(self, BulkKind::ResendInvites | BulkKind::RevokeInvites)
    }

    fn request(self, item: &BulkItem) -> ApiRequest {
        let id = item.id().to_owned();
        match self {
            BulkKind::Delete => ApiRequest::Delete(id),
            BulkKind::ResetEmail => ApiRequest::SendResetToken(item.email().to_owned()),
            BulkKind::SetRole(role) => ApiRequest::Update {
                id,
                body: UpdateUser {
                    role: Some(role),
                    ..UpdateUser::default()
                },
            },
            BulkKind::ResendInvites => ApiRequest::ResendInvite(id),
            BulkKind::RevokeInvites => ApiRequest::RevokeInvite(id),
        }
    }

    /// Whether the list shows something else afterwards (a user gone, a role changed).
    fn changes_the_list(self) -> bool {
        !matches!(self, BulkKind::ResetEmail)
    }
}

/// Where a bulk action is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkState {
    /// Asking: the list of users, `y` (or the profile's name) starts.
    Confirm,
    /// One request at a time: the user at `index` is in progress.
    Running { index: usize, request: RequestId },
    /// Finished, or stopped by the operator before the end.
    Done { stopped: bool },
}

#[derive(Debug, Clone)]
pub struct Bulk {
    pub kind: BulkKind,
    pub items: Vec<BulkItem>,
    /// A result per user done so far, in order: `Err` holds the server's reason.
    pub results: Vec<Result<(), String>>,
    pub state: BulkState,
    /// Esc while running: stop once the user in progress is done.
    pub stop_asked: bool,
    /// On a production profile: the name typed so far (`y` does not start it there).
    pub typed_name: Option<Input>,
    pub error: Option<String>,
}

impl Bulk {
    pub fn done_count(&self) -> usize {
        self.results.len()
    }

    pub fn failed(&self) -> usize {
        self.results.iter().filter(|r| r.is_err()).count()
    }
}
