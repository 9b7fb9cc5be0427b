//! The login screen: opened by the app itself, at start without credentials and whenever the
//! server answers 401 (the refused requests wait to be sent again). Its keys are every form's
//! (`form.rs`); here opening it, the reply to a login and the drawing.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::tui::app::{ApiRequest, App, Command, ConnState, Modal, Purpose, RequestId};
use crate::tui::form::Form;
use crate::tui::forms;
use crate::tui::ui::widgets::render_form;
use crate::tui::ui::{Theme, safe_span, spinner};

impl App {
    /// Logged in: the requests a 401 held back are sent again, the list loads if nothing
    /// else will load it.
    pub(crate) fn on_logged_in(&mut self, id: RequestId, cmds: &mut Vec<Command>) {
        self.close_modal_for(id);
        self.session.auth = "JWT";
        self.session.state = ConnState::Online;
        self.send(Purpose::Me, ApiRequest::Me, cmds);
        let queued = std::mem::take(&mut self.after_login);
        let had_list_retry = queued.iter().any(|(p, _, _)| matches!(p, Purpose::List));
        for (purpose, request, modal) in queued {
            self.resend(purpose, request, modal, cmds);
        }
        if !had_list_retry && self.list.page.is_none() && self.list.request.is_none() {
            self.load_list(cmds);
        }
        self.info("logged in");
    }

    pub(crate) fn open_login(&mut self, reason: Option<String>) {
        if let Some(Modal::Login { reason: r, .. }) = self.modals.last_mut() {
            if reason.is_some() {
                *r = reason;
            }
            return;
        }
        let email = self
            .session
            .me
            .as_ref()
            .map(|u| u.email.clone())
            .unwrap_or_else(|| self.last_email.clone());
        // Not `push_modal`: the app opens this one itself, and what the status line says
        // (why it opened, what just happened) is still true.
        self.modals.push(Modal::Login {
            form: forms::login_form(&email),
            request: None,
            reason,
        });
    }
}

/// The login form, with why it opened (a refused token, an expired session).
#[allow(clippy::too_many_arguments)]
pub(crate) fn render(
    frame: &mut Frame,
    app: &App,
    form: &Form,
    request: &Option<RequestId>,
    reason: &Option<String>,
    top: bool,
    area: Rect,
    theme: &Theme,
) {
    let busy = request.map(|_| format!("{} logging in…", spinner(app)));
    let mut note = vec![Line::from(vec![
        Span::raw("Log in to "),
        safe_span(&app.session.base_url, theme.strong),
    ])];
    if let Some(r) = reason {
        note.push(Line::from(safe_span(r, theme.warn)));
    }
    render_form(frame, " Log in ", &note, form, busy, top, area, theme);
}
