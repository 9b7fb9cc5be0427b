//! The dialogs over the user list as drawn: one user full screen (narrow terminals), the
//! create and edit forms. Their keys are every form's (`screens/form.rs`).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Clear;

use crate::api::{CreateFlow, User};
use crate::safe_text::neutralise;
use crate::tui::app::{App, RequestId};
use crate::tui::form::Form;
use crate::tui::ui::widgets::render_form;
use crate::tui::ui::{Theme, spinner};

/// The selected user full screen (narrow terminals).
pub(crate) fn render_detail_screen(frame: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let inner = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(3),
        ..area
    };
    frame.render_widget(Clear, inner);
    super::view::render_detail(frame, app, app.list.selected_user(), inner, theme);
}

/// The create-user form, with how this server creates users when it has no create route.
#[allow(clippy::too_many_arguments)]
pub(crate) fn render_create(
    frame: &mut Frame,
    app: &App,
    form: &Form,
    request: &Option<RequestId>,
    step: &Option<String>,
    top: bool,
    area: Rect,
    theme: &Theme,
) {
    let busy = request.map(|_| {
        format!(
            "{} {}",
            spinner(app),
            step.as_deref().unwrap_or("creating…")
        )
    });
    let mut note = Vec::new();
    if app
        .caps()
        .is_some_and(|c| c.create == CreateFlow::InviteRegisterAccept)
    {
        note.push(Line::from(Span::styled(
            "This server has no create route: the console invites the address, \
             registers its login with this password and accepts the invite. If a step \
             fails, saving again resumes where it stopped; no second user is made.",
            theme.dim,
        )));
    }
    render_form(frame, " Create user ", &note, form, busy, top, area, theme);
}

/// The edit-user form.
#[allow(clippy::too_many_arguments)]
pub(crate) fn render_edit(
    frame: &mut Frame,
    app: &App,
    user: &User,
    form: &Form,
    request: &Option<RequestId>,
    top: bool,
    area: Rect,
    theme: &Theme,
) {
    let busy = request.map(|_| format!("{} saving…", spinner(app)));
    let note = [Line::from(Span::styled(
        "Medusa does not let an e-mail change; create a new user for that.",
        theme.dim,
    ))];
    render_form(
        frame,
        &format!(" Edit {} ", neutralise(&user.email)),
        &note,
        form,
        busy,
        top,
        area,
        theme,
    );
}
