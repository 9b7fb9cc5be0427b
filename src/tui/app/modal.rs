//! The dialogs and screens stacked over the list ([`Modal`]): which context each gives the
//! keys, the request each may wait for, and opening, finding and closing them.

use super::*;

/// The dialogs and screens that sit over the list, topmost last.
#[derive(Debug, Clone)]
pub enum Modal {
    /// Every binding, filtered with `/` (`screens/help/`).
    Help(HelpOverlay),
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
    /// Export the list to a file (`screens/export/`).
    Export(ExportDialog),
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
    /// "Delete this user?" (`screens/delete/`).
    Delete(DeleteDialog),
    /// The ways to reset a user's password (`screens/reset/`).
    ResetRequest(ResetDialog),
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
    /// "Revoke the invite for …?" (`screens/invites/revoke.rs`).
    Revoke(RevokeDialog),
    /// A new invite's token (after a create or a resend), shown because the operator asked.
    InviteToken {
        invite: Invite,
        resent: bool,
    },
}

impl Modal {
    pub fn context(&self) -> Context {
        match self {
            Modal::Help(help) if help.editing => Context::HelpFilter,
            Modal::Help(_) => Context::Help,
            Modal::Messages { .. } => Context::Messages,
            Modal::Profiles { .. } => Context::Profiles,
            Modal::Bulk(_) => Context::Bulk,
            Modal::Everywhere(_) => Context::Everywhere,
            Modal::Export(_) => Context::Export,
            Modal::Detail => Context::Detail,
            Modal::Create { .. } | Modal::Edit { .. } => Context::Form,
            Modal::Delete(_) => Context::Delete,
            Modal::ResetRequest(_) => Context::ResetRequest,
            Modal::ResetApply { .. } => Context::ResetApply,
            Modal::Login { .. } => Context::Login,
            Modal::Discard { .. } => Context::Discard,
            Modal::InviteDetail => Context::InviteDetail,
            Modal::InviteCreate { .. } => Context::InviteForm,
            Modal::Revoke(_) => Context::Revoke,
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
            | Modal::ResetApply { request, .. }
            | Modal::InviteCreate { request, .. }
            | Modal::Login { request, .. } => *request,
            Modal::Delete(dialog) => dialog.request,
            Modal::ResetRequest(dialog) => dialog.request,
            Modal::Revoke(dialog) => dialog.request,
            Modal::Export(dialog) => dialog.request,
            Modal::Everywhere(dialog) => dialog.request,
            _ => None,
        }
    }

    pub(crate) fn set_request(&mut self, id: Option<RequestId>) {
        match self {
            Modal::Create { request, .. }
            | Modal::Edit { request, .. }
            | Modal::ResetApply { request, .. }
            | Modal::InviteCreate { request, .. }
            | Modal::Login { request, .. } => *request = id,
            Modal::Delete(dialog) => dialog.request = id,
            Modal::ResetRequest(dialog) => dialog.request = id,
            Modal::Revoke(dialog) => dialog.request = id,
            Modal::Export(dialog) => dialog.request = id,
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
                | Modal::Delete(_)
                | Modal::ResetRequest(_)
                | Modal::InviteCreate { .. }
                | Modal::Revoke(_)
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
}
