//! The dialogs and screens stacked over the list ([`Modal`]): which context each gives the
//! keys, the request each may wait for, and opening, finding and closing them.

use super::*;

/// The dialogs and screens that sit over the list, topmost last.
#[derive(Debug, Clone)]
pub enum Modal {
    Help {
        scroll: u16,
        /// Shows only the bindings that match (typed after `/`).
        filter: Input,
        /// The filter has the keys (`/` was pressed).
        editing: bool,
    },
    /// Every notice of this session, newest first, in full.
    Messages {
        scroll: u16,
    },
    /// The profile switcher, on the row `selected`.
    Profiles {
        selected: usize,
    },
    /// Where one person has access, across the config's stores (`w`).
    Everywhere(Everywhere),
    /// A bulk action on the marked users.
    Bulk(Bulk),
    /// Export the list: the file's path, the request writing it, what went wrong.
    Export {
        path: Input,
        request: Option<RequestId>,
        error: Option<String>,
    },
    Detail,
    Create {
        form: Form,
        request: Option<RequestId>,
        /// The step of a multi-step create in progress (v2: invite, register, accept).
        step: Option<String>,
    },
    Edit {
        user: User,
        form: Form,
        request: Option<RequestId>,
    },
    Delete {
        user: User,
        request: Option<RequestId>,
        error: Option<String>,
        /// The secret API keys the user created, where they outlive the user (v2); `None`
        /// while they are being looked up or where there are none to ask about.
        keys: Option<Vec<ApiKey>>,
        /// Revoke those keys before deleting (`k` toggles).
        revoke_keys: bool,
        /// The step in progress (revoking key 2/3…).
        step: Option<String>,
        /// On a production profile: what the operator has typed of its name, which must match
        /// before the delete is sent.
        typed_name: Option<Input>,
    },
    ResetRequest {
        user: User,
        request: Option<RequestId>,
        sent: bool,
        error: Option<String>,
        /// The sandbox's outbox file the token was seen in (sandbox only): `f` fills it in.
        outbox: Option<PathBuf>,
        /// A token minted here (`m`), shown because the operator asked for it.
        minted: Option<SecretString>,
    },
    ResetApply {
        user: User,
        form: Form,
        request: Option<RequestId>,
    },
    Login {
        form: Form,
        request: Option<RequestId>,
        reason: Option<String>,
    },
    /// "Discard what you typed?" over a changed form; `quit` when Ctrl-C asked (yes quits).
    Discard {
        quit: bool,
    },
    /// The selected invite full screen (narrow terminals).
    InviteDetail,
    /// The new-invite form (e-mail, and a role where invites have one).
    InviteCreate {
        form: Form,
        request: Option<RequestId>,
    },
    /// "Revoke the invite for …?"
    Revoke {
        invite: Invite,
        request: Option<RequestId>,
        error: Option<String>,
        /// On a production profile, the profile's name as typed so far.
        typed_name: Option<Input>,
    },
    /// A new invite's token (after a create or a resend), shown because the operator asked.
    InviteToken {
        invite: Invite,
        resent: bool,
    },
}

impl Modal {
    pub fn context(&self) -> Context {
        match self {
            Modal::Help { editing: true, .. } => Context::HelpFilter,
            Modal::Help { .. } => Context::Help,
            Modal::Messages { .. } => Context::Messages,
            Modal::Profiles { .. } => Context::Profiles,
            Modal::Bulk(_) => Context::Bulk,
            Modal::Everywhere(_) => Context::Everywhere,
            Modal::Export { .. } => Context::Export,
            Modal::Detail => Context::Detail,
            Modal::Create { .. } | Modal::Edit { .. } => Context::Form,
            Modal::Delete { .. } => Context::Delete,
            Modal::ResetRequest { .. } => Context::ResetRequest,
            Modal::ResetApply { .. } => Context::ResetApply,
            Modal::Login { .. } => Context::Login,
            Modal::Discard { .. } => Context::Discard,
            Modal::InviteDetail => Context::InviteDetail,
            Modal::InviteCreate { .. } => Context::InviteForm,
            Modal::Revoke { .. } => Context::Revoke,
            Modal::InviteToken { .. } => Context::InviteToken,
        }
    }

    pub(crate) fn form_mut(&mut self) -> Option<&mut Form> {
        match self {
            Modal::Create { form, .. }
            | Modal::Edit { form, .. }
            | Modal::ResetApply { form, .. }
            | Modal::InviteCreate { form, .. }
            | Modal::Login { form, .. } => Some(form),
            _ => None,
        }
    }

    pub(crate) fn request(&self) -> Option<RequestId> {
        match self {
            Modal::Create { request, .. }
            | Modal::Edit { request, .. }
            | Modal::Delete { request, .. }
            | Modal::ResetRequest { request, .. }
            | Modal::ResetApply { request, .. }
            | Modal::InviteCreate { request, .. }
            | Modal::Revoke { request, .. }
            | Modal::Export { request, .. }
            | Modal::Login { request, .. } => *request,
            Modal::Everywhere(dialog) => dialog.request,
            _ => None,
        }
    }

    pub(crate) fn set_request(&mut self, id: Option<RequestId>) {
        match self {
            Modal::Create { request, .. }
            | Modal::Edit { request, .. }
            | Modal::Delete { request, .. }
            | Modal::ResetRequest { request, .. }
            | Modal::ResetApply { request, .. }
            | Modal::InviteCreate { request, .. }
            | Modal::Revoke { request, .. }
            | Modal::Export { request, .. }
            | Modal::Login { request, .. } => *request = id,
            Modal::Everywhere(dialog) => dialog.request = id,
            _ => {}
        }
    }
}

impl App {
    /// Opens a dialog. A success notice from before is about something else by now (views
    /// over the list, the detail screen, help and the message log, leave it).
    pub(crate) fn push_modal(&mut self, modal: Modal) {
        let dialog = matches!(
            modal,
            Modal::Create { .. }
                | Modal::Edit { .. }
                | Modal::Delete { .. }
                | Modal::ResetRequest { .. }
                | Modal::InviteCreate { .. }
                | Modal::Revoke { .. }
        );
        if dialog && self.status.as_ref().is_some_and(|s| s.level == Level::Info) {
            self.status = None;
        }
        self.modals.push(modal);
    }

    pub(crate) fn modal_for(&mut self, id: RequestId) -> Option<&mut Modal> {
        self.modals.iter_mut().find(|m| m.request() == Some(id))
    }

    /// Closes the modal a finished request belonged to (and anything stacked on it).
    pub(crate) fn close_modal_for(&mut self, id: RequestId) {
        if let Some(i) = self.modals.iter().position(|m| m.request() == Some(id)) {
            self.modals.truncate(i);
        }
    }

    /// The delete dialog open for user `user_id`, if any.
    pub(super) fn delete_dialog_for(&mut self, user_id: &str) -> Option<&mut Modal> {
        self.modals
            .iter_mut()
            .find(|m| matches!(m, Modal::Delete { user, .. } if user.id == user_id))
    }
}
