//! "Revoke the invite for …?" (`d` on an invite): its state ([`RevokeDialog`]), keys (on a
//! production profile the profile's name is typed), request, reply and drawing.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use tui_input::Input;

use crate::api::{Invite, Operation};
use crate::tui::app::{ApiRequest, App, Command, Modal, Purpose, RequestId};
use crate::tui::keymap::{Action, Context};
use crate::tui::ui::widgets::{confirm_line, render_box, typed_name_lines};
use crate::tui::ui::{Theme, safe_span, spinner};

/// The revoke question (`Modal::Revoke`).
#[derive(Debug, Clone)]
pub struct RevokeDialog {
    pub invite: Invite,
    pub request: Option<RequestId>,
    pub error: Option<String>,
    /// On a production profile, the profile's name as typed so far.
    pub typed_name: Option<Input>,
}

impl RevokeDialog {
    /// The request failed: the dialog stays, with why.
    pub(crate) fn failed(&mut self, message: String) {
        self.request = None;
        self.error = Some(message);
    }
}

impl App {
    /// `d` on one invite: ask before revoking it.
    pub(crate) fn open_revoke(&mut self) {
        if self.refuse_unless_allowed(Operation::RevokeInvite) {
            return;
        }
        if let Some(invite) = self.invites.selected_invite().cloned() {
            let by_name = self.production_name().is_some();
            self.push_modal(Modal::Revoke(RevokeDialog {
                invite,
                request: None,
                error: None,
                typed_name: by_name.then(Input::default),
            }));
        }
    }

    /// A key in the revoke dialog (other than the typing of a production profile's name).
    pub(crate) fn on_revoke_key(&mut self, action: Option<Action>, cmds: &mut Vec<Command>) {
        match action {
            Some(Action::Confirm) => self.confirm_revoke(cmds),
            Some(Action::Back) => {
                self.modals.pop();
            }
            _ => {}
        }
    }

    /// `y` in the revoke dialog (Enter with the name typed, on production).
    pub(crate) fn confirm_revoke(&mut self, cmds: &mut Vec<Command>) {
        let Some(Modal::Revoke(dialog)) = self.modals.last() else {
            return;
        };
        if dialog.request.is_some() {
            return;
        }
        let invite = dialog.invite.clone();
        let request = ApiRequest::RevokeInvite(invite.id.clone());
        let id = self.send(Purpose::RevokeInvite(invite), request, cmds);
        if let Some(modal) = self.modals.last_mut() {
            modal.set_request(Some(id));
        }
    }

    /// The invite is revoked: the dialog (and the invite's detail screen) close.
    pub(crate) fn on_revoked(&mut self, id: RequestId, invite: &Invite, cmds: &mut Vec<Command>) {
        self.close_modal_for(id);
        if matches!(self.modals.last(), Some(Modal::InviteDetail)) {
            self.modals.pop();
        }
        self.info(format!(
            "revoked the invite for {}; its token no longer works",
            invite.email
        ));
        self.load_invites(cmds);
    }
}

/// The revoke question: which invite, what it does, and the answer (the profile's name,
/// typed, on production).
pub(crate) fn render(
    frame: &mut Frame,
    app: &App,
    dialog: &RevokeDialog,
    area: Rect,
    theme: &Theme,
) {
    let RevokeDialog {
        invite,
        request,
        error,
        typed_name,
    } = dialog;
    let mut head = vec![
        Span::raw("Revoke the invite for "),
        safe_span(&invite.email, theme.strong),
    ];
    if let Some(role) = invite.role {
        head.push(Span::raw(format!(" ({role})")));
    }
    head.push(Span::raw("?"));
    let mut lines = vec![
        Line::from(head),
        Line::from(safe_span(&invite.id, theme.dim)),
        Line::default(),
        Line::from("Its token stops working at once; the address can be invited again."),
        Line::default(),
    ];
    let last = match (request, typed_name, &app.session.profile) {
        (Some(_), _, _) => Line::from(format!("{} revoking…", spinner(app))),
        (None, Some(input), Some(profile)) => {
            let [ask, typed] = typed_name_lines(input, &profile.name, "revoke", theme);
            lines.push(ask);
            typed
        }
        (None, _, _) => confirm_line("revoke", &app.keymap, Context::Revoke, theme),
    };
    lines.push(last);
    if let Some(e) = error {
        lines.push(Line::from(safe_span(&format!("✗ {e}"), theme.error)));
    }
    render_box(frame, " Revoke invite ", 72, area, theme.danger, |_| lines);
}
