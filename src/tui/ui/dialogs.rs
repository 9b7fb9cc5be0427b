//! Dialogs drawn over the list: forms, the delete confirmation, the reset-password steps, the
//! login screen, the discard question, help, the message log, and the full-screen detail view.
//! Their text is laid out for the width they get: paragraphs wrap (numbered items with a
//! hanging indent), hints under fields too, so nothing is cut and no line breaks mid-phrase.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Clear;

use super::widgets::render_form;
use super::{Theme, list, spinner};
use crate::api::CreateFlow;
use crate::safe_text::neutralise;
use crate::tui::app::{App, Modal};
use crate::tui::screens::{
    bulk, delete, discard, everywhere, export, help, login, profiles, reset,
};

/// Draws one modal; `top` is whether it has the focus (only the focused form shows the
/// terminal cursor, so nothing looks as if typing would land in a field under a question).
pub fn render_modal(
    frame: &mut Frame,
    app: &App,
    modal: &Modal,
    top: bool,
    area: Rect,
    theme: &Theme,
) {
    if crate::tui::screens::invites::dialogs::render_modal(frame, app, modal, top, area, theme) {
        return;
    }
    match modal {
        Modal::Help {
            scroll,
            filter,
            editing,
        } => help::view::render_help(frame, app, *scroll, filter.value(), *editing, area, theme),
        Modal::Messages { scroll } => {
            help::messages::render_messages(frame, app, *scroll, area, theme);
        }
        Modal::Profiles { selected } => {
            profiles::view::render_profiles(frame, app, *selected, area, theme);
        }
        Modal::Bulk(bulk) => bulk::view::render_bulk(frame, app, bulk, area, theme),
        Modal::Everywhere(dialog) => everywhere::view::render(frame, app, dialog, area, theme),
        Modal::Export { .. } => export::view::render(frame, app, modal, area, theme),
        Modal::Detail => {
            let inner = Rect {
                y: area.y + 1,
                height: area.height.saturating_sub(3),
                ..area
            };
            frame.render_widget(Clear, inner);
            list::render_detail(frame, app, app.list.selected_user(), inner, theme);
        }
        Modal::Create {
            form,
            request,
            step,
        } => {
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
        Modal::Edit {
            user,
            form,
            request,
        } => {
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
        Modal::Delete { .. } => delete::view::render(frame, app, modal, area, theme),
        Modal::ResetRequest { .. } => reset::view::render_request(frame, app, modal, area, theme),
        Modal::ResetApply { .. } => reset::view::render_apply(frame, app, modal, top, area, theme),
        Modal::Login { .. } => login::render(frame, app, modal, top, area, theme),
        Modal::Discard { .. } => discard::render(frame, modal, area, theme),
        // Drawn by `invites::render_modal` above.
        Modal::InviteDetail
        | Modal::InviteCreate { .. }
        | Modal::Revoke { .. }
        | Modal::InviteToken { .. } => {}
    }
}
