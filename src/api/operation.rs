//! Every operation the client performs on a store, and the one place that says which of them
//! change data. Read-only mode asks [`Operation::changes_data`] everywhere it applies: the
//! transport refusing a call before it is sent, the console's worker requests, and the keymap
//! that hides (and the app that refuses) keys whose action would change something.

use super::error::ApiError;

/// One kind of call to a Medusa admin API, whichever dialect carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    DetectDialect,
    LogIn,
    RefreshSession,
    /// v2: an auth identity for a new user (the second step of a create).
    RegisterLogin,
    WhoAmI,
    ListUsers,
    GetUser,
    CreateUser,
    UpdateUser,
    DeleteUser,
    SendResetToken,
    MintResetToken,
    ResetPassword,
    ListInvites,
    GetInvite,
    CreateInvite,
    ResendInvite,
    RevokeInvite,
    AcceptInvite,
    ListSecretKeys,
    RevokeSecretKey,
}

impl Operation {
    /// Whether the operation changes data on the server, and so is refused in read-only mode.
    /// Logging in (and refreshing a session) changes nothing an operator would call data.
    pub const fn changes_data(self) -> bool {
        use Operation as O;
        match self {
            O::DetectDialect
            | O::LogIn
            | O::RefreshSession
            | O::WhoAmI
            | O::ListUsers
            | O::GetUser
            | O::ListInvites
            | O::GetInvite
            | O::ListSecretKeys => false,
            O::RegisterLogin
            | O::CreateUser
            | O::UpdateUser
            | O::DeleteUser
            | O::SendResetToken
            | O::MintResetToken
            | O::ResetPassword
            | O::CreateInvite
            | O::ResendInvite
            | O::RevokeInvite
            | O::AcceptInvite
            | O::RevokeSecretKey => true,
        }
    }

    /// The one read-only rule: `Err` (an [`ApiError::ReadOnly`] naming the operation) when
    /// `read_only` forbids it, before anything is sent.
    pub fn check(self, read_only: bool) -> Result<(), ApiError> {
        if read_only && self.changes_data() {
            return Err(ApiError::ReadOnly {
                what: self.name().to_owned(),
            });
        }
        Ok(())
    }

    /// What the call is, for log lines and errors: "delete user".
    pub const fn name(self) -> &'static str {
        use Operation as O;
        match self {
            O::DetectDialect => "detect Medusa version",
            O::LogIn => "log in",
            O::RefreshSession => "refresh session",
            O::RegisterLogin => "register login",
            O::WhoAmI => "who am I",
            O::ListUsers => "list users",
            O::GetUser => "get user",
            O::CreateUser => "create user",
            O::UpdateUser => "update user",
            O::DeleteUser => "delete user",
            O::SendResetToken => "send reset token",
            O::MintResetToken => "mint reset token",
            O::ResetPassword => "reset password",
            O::ListInvites => "list invites",
            O::GetInvite => "get invite",
            O::CreateInvite => "create invite",
            O::ResendInvite => "resend invite",
            O::RevokeInvite => "revoke invite",
            O::AcceptInvite => "accept invite",
            O::ListSecretKeys => "list secret keys",
            O::RevokeSecretKey => "revoke secret key",
        }
    }

    /// The operation as an activity, for "read-only mode: deleting users is disabled".
    pub const fn activity(self) -> &'static str {
        use Operation as O;
        match self {
            O::DetectDialect => "detecting the Medusa version",
            O::LogIn => "logging in",
            O::RefreshSession => "refreshing the session",
            O::RegisterLogin => "registering logins",
            O::WhoAmI => "asking who is signed in",
            O::ListUsers => "listing users",
            O::GetUser => "reading users",
            O::CreateUser => "creating users",
            O::UpdateUser => "editing users",
            O::DeleteUser => "deleting users",
            O::SendResetToken | O::MintResetToken | O::ResetPassword => "resetting passwords",
            O::ListInvites => "listing invites",
            O::GetInvite => "reading invites",
            O::CreateInvite => "inviting users",
            O::ResendInvite => "resending invites",
            O::RevokeInvite => "revoking invites",
            O::AcceptInvite => "accepting invites",
            O::ListSecretKeys => "listing secret keys",
            O::RevokeSecretKey => "revoking secret keys",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Operation as O;

    #[test]
    fn read_only_refuses_only_changes_and_names_them() {
        assert!(O::ListUsers.check(true).is_ok());
        assert!(O::DeleteUser.check(false).is_ok());
        let refused = O::DeleteUser.check(true).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "refused in read-only mode: delete user would change data on the server"
        );
    }

    #[test]
    fn reads_and_logins_change_nothing_and_every_write_does() {
        for op in [
            O::LogIn,
            O::RefreshSession,
            O::ListUsers,
            O::GetInvite,
            O::WhoAmI,
        ] {
            assert!(!op.changes_data(), "{op:?}");
        }
        for op in [
            O::CreateUser,
            O::DeleteUser,
            O::ResetPassword,
            O::RevokeSecretKey,
        ] {
            assert!(op.changes_data(), "{op:?}");
        }
    }
}
