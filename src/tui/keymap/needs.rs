//! What a binding needs to work ([`Need`]: a capability of the backend, an operation that
//! read-only mode forbids, profiles to switch to), what the session offers now ([`Offer`]),
//! and, in one place, what each action needs.

use super::{Action, Binding, Context};
use crate::api::{Capabilities, Operation};

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
pub(super) fn needs_of(context: Context, action: Action) -> &'static [Need] {
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
